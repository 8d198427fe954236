package dev.tessera.jobs.serde;

import dev.tessera.operators.graph.Attribute;
import dev.tessera.operators.graph.DType;
import dev.tessera.operators.graph.Graph;
import dev.tessera.operators.graph.Node;
import dev.tessera.operators.graph.Tensor;
import dev.tessera.operators.graph.TensorRole;
import dev.tessera.schemas.avro.DataType;
import dev.tessera.schemas.avro.Float64List;
import dev.tessera.schemas.avro.GraphDef;
import dev.tessera.schemas.avro.Int64List;
import dev.tessera.schemas.avro.ModelGraphEvent;
import dev.tessera.schemas.avro.NodeDef;
import dev.tessera.schemas.avro.StringList;
import dev.tessera.schemas.avro.TensorDef;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps the Avro form of a graph ({@link GraphDef}) to the compiler's graph IR and back. The mapping
 * is total and one to one: Avro enums name exactly the IR's dtypes and roles, and each attribute
 * union branch is one {@link Attribute} kind ({@code long ↔ Int}, {@code double ↔ Float},
 * {@code string ↔ Str}, {@code Int64List ↔ Ints}, {@code Float64List ↔ Floats},
 * {@code StringList ↔ Strs}). Checking the graph is the validator's job, not the mapper's.
 * Attributes are written in the IR's (sorted) order, so one graph always encodes to the same bytes.
 */
public final class GraphMapper {
    private GraphMapper() {}

    public static Graph toGraph(GraphDef def) {
        List<Tensor> tensors = def.getTensors().stream()
                .map(t -> new Tensor(t.getName(), t.getShape(), DType.valueOf(t.getDtype().name()),
                        TensorRole.valueOf(t.getRole().name())))
                .toList();
        List<Node> nodes = def.getNodes().stream().map(GraphMapper::toNode).toList();
        return new Graph(def.getName(), tensors, nodes);
    }

    public static GraphDef toAvro(Graph graph) {
        List<TensorDef> tensors = graph.tensors().stream()
                .map(t -> new TensorDef(t.name(), t.shape(), DataType.valueOf(t.dtype().name()),
                        dev.tessera.schemas.avro.TensorRole.valueOf(t.role().name())))
                .toList();
        List<NodeDef> nodes = graph.nodes().stream().map(GraphMapper::toAvro).toList();
        return new GraphDef(graph.name(), tensors, nodes);
    }

    /**
     * A registry event for one model version: what {@code tessera submit} and {@code tessera demo}
     * publish. The metadata is copied in key order.
     */
    public static ModelGraphEvent event(String modelName, String modelVersion, List<String> specProfiles,
            Map<String, String> registryMetadata, Graph graph) {
        return ModelGraphEvent.newBuilder()
                .setModelName(modelName)
                .setModelVersion(modelVersion)
                .setRegistryMetadata(new java.util.TreeMap<>(registryMetadata))
                .setSpecProfiles(List.copyOf(specProfiles))
                .setGraph(toAvro(graph))
                .setWeightsUri(null)
                .build();
    }

    private static Node toNode(NodeDef def) {
        Map<String, Attribute> attributes = new LinkedHashMap<>();
        def.getAttributes().forEach((name, value) -> attributes.put(name, toAttribute(name, value)));
        return new Node(def.getName(), def.getOpType(), def.getInputs(), def.getOutputs(), attributes);
    }

    private static NodeDef toAvro(Node node) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        node.attributes().forEach((name, value) -> attributes.put(name, toAvro(value)));
        return new NodeDef(node.name(), node.opType(), node.inputs(), node.outputs(), attributes);
    }

    private static Attribute toAttribute(String name, Object value) {
        if (value instanceof Long v) {
            return new Attribute.Int(v);
        } else if (value instanceof Double v) {
            return new Attribute.Float(v);
        } else if (value instanceof CharSequence v) {
            return new Attribute.Str(v.toString());
        } else if (value instanceof Int64List v) {
            return new Attribute.Ints(v.getValues());
        } else if (value instanceof Float64List v) {
            return new Attribute.Floats(v.getValues());
        } else if (value instanceof StringList v) {
            return new Attribute.Strs(v.getValues());
        }
        // Decoding guarantees one of the union's branches; anything else is a bug here.
        throw new IllegalStateException("attribute '" + name + "' has a value outside the schema's union: "
                + (value == null ? "null" : value.getClass().getName()));
    }

    private static Object toAvro(Attribute attribute) {
        if (attribute instanceof Attribute.Int a) {
            return a.value();
        } else if (attribute instanceof Attribute.Float a) {
            return a.value();
        } else if (attribute instanceof Attribute.Str a) {
            return a.value();
        } else if (attribute instanceof Attribute.Ints a) {
            return new Int64List(a.values());
        } else if (attribute instanceof Attribute.Floats a) {
            return new Float64List(a.values());
        } else if (attribute instanceof Attribute.Strs a) {
            return new StringList(a.values());
        }
        throw new IllegalStateException("unknown attribute kind " + attribute.getClass().getName());
    }
}
