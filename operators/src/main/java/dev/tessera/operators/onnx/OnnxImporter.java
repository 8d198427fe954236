package dev.tessera.operators.onnx;

import dev.tessera.operators.InvalidModelException;
import dev.tessera.operators.graph.DType;
import dev.tessera.operators.graph.Graph;
import dev.tessera.operators.graph.Node;
import dev.tessera.operators.graph.Tensor;
import dev.tessera.operators.graph.TensorRole;
import dev.tessera.operators.onnx.ValueTable.Value;
import dev.tessera.operators.onnx.proto.OnnxProto.GraphProto;
import dev.tessera.operators.onnx.proto.OnnxProto.ModelProto;
import dev.tessera.operators.onnx.proto.OnnxProto.NodeProto;
import dev.tessera.operators.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.tessera.operators.onnx.proto.OnnxProto.TensorProto;
import dev.tessera.operators.onnx.proto.OnnxProto.TensorShapeProto;
import dev.tessera.operators.onnx.proto.OnnxProto.TypeProto;
import dev.tessera.operators.onnx.proto.OnnxProto.ValueInfoProto;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Reads an ONNX model into the graph IR with every shape concrete.
 *
 * <p>The walk: parse the file without copying weights ({@link OnnxReader}); reject, in one error,
 * every op type that is not supported; give each graph input a concrete shape (symbolic dimensions
 * from {@link ImportOptions#dimensions()}, a symbolic first dimension defaults to batch 1); then
 * convert the nodes in order ({@link OpConverter}), inferring each output's shape and evaluating
 * nodes whose inputs are all small constants ({@link ConstFolder}), so shape arithmetic disappears
 * and Reshape, Slice and Resize carry their target shapes as attributes. Initializers and Constant
 * nodes that remaining nodes read become {@code WEIGHT} tensors, whose values the returned
 * {@link ImportedModel#weights()} reads from the file on demand.
 *
 * <p>Example: {@code importGraph(Path.of("cls.onnx"), ImportOptions.DEFAULTS.withDimension("p2o.DynamicDimension.1", 192))}
 * returns a graph with input {@code x [1,3,48,192]}, 53 Conv nodes and no Shape, Slice or Constant node.
 */
public final class OnnxImporter {
    /** The default-domain operator sets this importer understands. */
    public static final long MIN_OPSET = 9;
    public static final long MAX_OPSET = 18;

    private OnnxImporter() {}

    /**
     * Imports the model at {@code file}.
     *
     * @throws InvalidModelException naming what is wrong: not an ONNX file, truncated, unsupported
     *     ops (all of them with counts), inconsistent shapes, a dimension or tensor over a limit
     */
    public static ImportedModel importGraph(Path file, ImportOptions options) {
        ModelProto model = OnnxReader.read(file);
        Path dir = file.toAbsolutePath().getParent();
        String fallback = file.getFileName().toString().replaceFirst("\\.onnx$", "");
        return importModel(model, dir, fallback, options);
    }

    /** Imports a parsed model; {@code dir} resolves external data, {@code name} is used when the graph has none. */
    static ImportedModel importModel(ModelProto model, Path dir, String name, ImportOptions options) {
        return new Run(model, dir, name, options).run();
    }

    /** The names of the supported op types, sorted. */
    public static List<String> supportedOps() {
        return OpConverter.SUPPORTED.stream().sorted().toList();
    }

    private static final class Run {
        private final ModelProto model;
        private final GraphProto graph;
        private final Path dir;
        private final String name;
        private final ImportOptions options;
        private final ValueTable values = new ValueTable();
        private final List<Node> nodes = new ArrayList<>();
        private final Set<String> nodeNames = new HashSet<>();
        /** Outputs of dropped no-op nodes (Identity, Dropout, Cast to the same type) → their input. */
        private final Map<String, String> aliases = new HashMap<>();
        private final Set<String> graphOutputs = new HashSet<>();
        private long opset;

        Run(ModelProto model, Path dir, String fallbackName, ImportOptions options) {
            this.model = model;
            this.graph = model.getGraph();
            this.dir = dir;
            this.name = graph.getName().isEmpty() ? fallbackName : graph.getName();
            this.options = options;
        }

        ImportedModel run() {
            opset = defaultOpset();
            rejectUnsupportedOps();
            if (graph.getNodeCount() > options.limits().maxNodes()) {
                throw new InvalidModelException("model '" + name + "' has " + graph.getNodeCount()
                        + " nodes, over the limit of " + options.limits().maxNodes());
            }
            Set<String> initializers = new HashSet<>();
            for (TensorProto t : graph.getInitializerList()) {
                TensorData data = TensorData.of(t.getName(), t, dir);
                values.put(new Value(t.getName(), data.dtype(), data.shape(), data, null));
                initializers.add(t.getName());
            }
            List<String> inputs = new ArrayList<>();
            for (ValueInfoProto in : graph.getInputList()) {
                if (!initializers.contains(in.getName())) {
                    values.put(inputValue(in));
                    check(values.get(in.getName()), "input");
                    inputs.add(in.getName());
                }
            }
            for (ValueInfoProto out : graph.getOutputList()) {
                graphOutputs.add(out.getName());
            }
            for (int i = 0; i < graph.getNodeCount(); i++) {
                convert(withAliasesResolved(graph.getNode(i)), i);
            }
            List<String> outputs = new ArrayList<>();
            for (ValueInfoProto out : graph.getOutputList()) {
                outputs.add(exposeOutput(out));
            }
            return assemble(inputs, outputs);
        }

        private long defaultOpset() {
            for (OperatorSetIdProto o : model.getOpsetImportList()) {
                if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                    if (o.getVersion() < MIN_OPSET || o.getVersion() > MAX_OPSET) {
                        throw new InvalidModelException("model '" + name + "' uses ONNX opset " + o.getVersion()
                                + "; Tessera imports opsets " + MIN_OPSET + " to " + MAX_OPSET);
                    }
                    return o.getVersion();
                }
            }
            throw new InvalidModelException("model '" + name + "' imports no default-domain ONNX opset");
        }

        private void rejectUnsupportedOps() {
            Map<String, Integer> unsupported = new TreeMap<>();
            for (NodeProto n : graph.getNodeList()) {
                boolean defaultDomain = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx");
                if (!defaultDomain || !OpConverter.SUPPORTED.contains(n.getOpType())) {
                    String key = defaultDomain ? n.getOpType() : n.getDomain() + ":" + n.getOpType();
                    unsupported.merge(key, 1, Integer::sum);
                }
            }
            if (!unsupported.isEmpty()) {
                String list = unsupported.entrySet().stream().map(e -> e.getKey() + " ×" + e.getValue())
                        .collect(Collectors.joining(", "));
                throw new InvalidModelException("model '" + name + "' uses " + unsupported.size()
                        + " unsupported op type" + (unsupported.size() == 1 ? "" : "s") + ": " + list);
            }
        }

        private Value inputValue(ValueInfoProto in) {
            String where = "input '" + in.getName() + "'";
            TypeProto type = in.getType();
            if (!type.hasTensorType()) {
                throw new InvalidModelException(where + " is not a tensor");
            }
            DType dtype = OnnxTypes.toDType(type.getTensorType().getElemType(), where);
            if (!type.getTensorType().hasShape()) {
                throw new InvalidModelException(where + " declares no shape; Tessera needs at least its rank");
            }
            List<TensorShapeProto.Dimension> dims = type.getTensorType().getShape().getDimList();
            List<Long> shape = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < dims.size(); i++) {
                TensorShapeProto.Dimension d = dims.get(i);
                String key = in.getName() + ":" + i;
                Long given = options.dimensions().get(d.getDimParam().isEmpty() ? key : d.getDimParam());
                if (d.hasDimValue() && d.getDimValue() >= 0) {
                    shape.add(d.getDimValue());
                } else if (given != null) {
                    shape.add(given);
                } else if (i == 0) {
                    shape.add(1L);
                } else {
                    missing.add(d.getDimParam().isEmpty() ? key + " (unnamed)" : "'" + d.getDimParam() + "' (dimension " + i + ")");
                    shape.add(1L);
                }
            }
            if (!missing.isEmpty()) {
                throw new InvalidModelException(where + " has symbolic dimensions without a value: "
                        + String.join(", ", missing) + "; give each with --dim name=value");
            }
            return new Value(in.getName(), dtype, shape, null, null);
        }

        /** Limits on one inferred or declared value. */
        private void check(Value v, String what) {
            List<Long> shape = v.shape();
            if (shape.size() > options.limits().maxRank()) {
                throw new InvalidModelException(what + " '" + v.name() + "' has rank " + shape.size()
                        + ", over the limit of " + options.limits().maxRank());
            }
            for (long d : shape) {
                if (d > options.maxDimension()) {
                    throw new InvalidModelException(what + " '" + v.name() + "' has shape " + shape + ": dimension " + d
                            + " is over the limit of " + options.maxDimension());
                }
            }
            long elements;
            try {
                elements = Shapes.elements(shape);
            } catch (ArithmeticException e) {
                elements = Long.MAX_VALUE;
            }
            if (elements > options.limits().maxTensorElements()) {
                throw new InvalidModelException(what + " '" + v.name() + "' has shape " + shape + " (" + elements
                        + " elements), over the limit of " + options.limits().maxTensorElements() + " elements");
            }
        }

        private String uniqueName(NodeProto n, int index) {
            String base = n.getName().isEmpty() ? n.getOpType() + "_" + index : n.getName();
            String candidate = base;
            for (int k = 1; !nodeNames.add(candidate); k++) {
                candidate = base + "_" + k;
            }
            return candidate;
        }

        private void convert(NodeProto proto, int index) {
            String nodeName = uniqueName(proto, index);
            for (String in : proto.getInputList()) {
                if (!in.isEmpty() && !values.contains(in)) {
                    throw new InvalidModelException(proto.getOpType() + " node '" + nodeName + "' reads '" + in
                            + "', which no graph input, initializer or earlier node provides");
                }
            }
            NodeContext ctx = new NodeContext(proto, nodeName, opset, values, dir);
            List<Node> converted = OpConverter.convert(ctx);
            for (String out : proto.getOutputList()) {
                if (!out.isEmpty() && values.contains(out)) {
                    check(values.get(out), "tensor");
                }
            }
            if (converted.size() == 1 && (tryFold(converted.get(0)) || tryAlias(converted.get(0)))) {
                return;
            }
            nodes.addAll(converted);
        }

        private NodeProto withAliasesResolved(NodeProto proto) {
            NodeProto.Builder b = null;
            for (int i = 0; i < proto.getInputCount(); i++) {
                String target = aliases.get(proto.getInput(i));
                if (target != null) {
                    if (b == null) {
                        b = proto.toBuilder();
                    }
                    b.setInput(i, target);
                }
            }
            return b == null ? proto : b.build();
        }

        /**
         * Drops a node that computes nothing (Identity, inference Dropout, a Cast to the type it
         * already has) by letting later nodes read its input; kept when it produces a graph output.
         */
        private boolean tryAlias(Node node) {
            boolean noOp = node.opType().equals("Identity") || (node.opType().equals("Cast")
                    && values.get(node.inputs().get(0)).dtype() == values.get(node.outputs().get(0)).dtype());
            String out = node.outputs().get(0);
            if (!noOp || node.outputs().size() != 1 || graphOutputs.contains(out)) {
                return false;
            }
            aliases.put(out, node.inputs().get(0));
            return true;
        }

        private boolean tryFold(Node node) {
            if (!OpConverter.FOLDABLE.contains(node.opType()) || node.outputs().size() != 1) {
                return false;
            }
            List<ConstTensor> inputs = new ArrayList<>();
            for (String in : node.inputs()) {
                ConstTensor c = values.constantOf(in);
                if (c == null) {
                    return false;
                }
                inputs.add(c);
            }
            Value out = values.get(node.outputs().get(0));
            if (Shapes.elements(out.shape()) > ValueTable.FOLD_LIMIT) {
                return false;
            }
            values.put(new Value(out.name(), out.dtype(), out.shape(), null,
                    ConstFolder.fold(node, inputs, out.dtype(), out.shape())));
            return true;
        }

        /**
         * A graph output that is a constant (a model of one Constant node, say) is produced by an
         * Identity node from a weight, so that every output is computed by a node.
         */
        private String exposeOutput(ValueInfoProto out) {
            String n = out.getName();
            Value v = values.get(n);
            if (v == null) {
                throw new InvalidModelException("graph output '" + n + "' is not produced by any node");
            }
            if (v.isConstant()) {
                String weight = n + "/value";
                values.put(new Value(weight, v.dtype(), v.shape(), v.weight(), v.constant()));
                values.put(new Value(n, v.dtype(), v.shape(), null, null));
                nodes.add(new Node(n + "/constant", "Identity", List.of(weight), List.of(n), Map.of()));
            }
            return n;
        }

        private ImportedModel assemble(List<String> inputs, List<String> outputs) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            Map<String, Supplier<float[]>> weights = new LinkedHashMap<>();
            Set<String> outputSet = new HashSet<>(outputs);
            for (String in : inputs) {
                Value v = values.get(in);
                tensors.put(in, new Tensor(in, v.shape(), v.dtype(), TensorRole.INPUT));
            }
            for (Node n : nodes) {
                for (String in : n.inputs()) {
                    Value v = values.get(in);
                    if (v.isConstant() && !tensors.containsKey(in)) {
                        tensors.put(in, new Tensor(in, v.shape(), v.dtype(), TensorRole.WEIGHT));
                        weights.put(in, reader(v));
                    }
                }
            }
            for (Node n : nodes) {
                for (String out : n.outputs()) {
                    if (!out.isEmpty()) {
                        Value v = values.get(out);
                        tensors.put(out, new Tensor(out, v.shape(), v.dtype(),
                                outputSet.contains(out) ? TensorRole.OUTPUT : TensorRole.ACTIVATION));
                    }
                }
            }
            String producer = (model.getProducerName() + " " + model.getProducerVersion()).trim();
            Graph g = new Graph(name, List.copyOf(tensors.values()), nodes);
            return new ImportedModel(g, new OnnxWeights(weights), opset, producer);
        }

        private static Supplier<float[]> reader(Value v) {
            if (v.weight() != null) {
                TensorData data = v.weight();
                return data::floats;
            }
            ConstTensor c = v.constant();
            return c::asFloats;
        }
    }
}
