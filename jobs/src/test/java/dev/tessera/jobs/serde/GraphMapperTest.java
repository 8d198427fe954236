package dev.tessera.jobs.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.operators.graph.Attribute;
import dev.tessera.operators.graph.DType;
import dev.tessera.operators.graph.Graph;
import dev.tessera.operators.graph.GraphHash;
import dev.tessera.operators.graph.Node;
import dev.tessera.operators.graph.Tensor;
import dev.tessera.operators.graph.TensorRole;
import dev.tessera.operators.graph.zoo.Zoo;
import dev.tessera.schemas.SingleObjectCodec;
import dev.tessera.schemas.avro.DataType;
import dev.tessera.schemas.avro.ModelGraphEvent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class GraphMapperTest {
    static List<String> zoo() {
        return Zoo.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("zoo")
    void everyZooModelSurvivesTheWireUnchanged(String name) throws Exception {
        Graph graph = Zoo.build(name);
        SingleObjectCodec<ModelGraphEvent> codec = SingleObjectCodec.of(ModelGraphEvent.class);
        ModelGraphEvent event = GraphMapper.event(name, "1", List.of("inferentia2"), Map.of("source", "zoo"), graph);
        byte[] bytes = codec.encode(event);

        Graph back = GraphMapper.toGraph(codec.decode(bytes).getGraph());

        assertThat(back).isEqualTo(graph);
        assertThat(GraphHash.sha256(back)).isEqualTo(GraphHash.sha256(graph));
        assertThat(codec.encode(event)).as("same event, same bytes").isEqualTo(bytes);
    }

    @Test
    void everyAttributeKindAndUnknownShapesMapBothWays() {
        Map<String, Attribute> attributes = new LinkedHashMap<>();
        attributes.put("i", new Attribute.Int(-3));
        attributes.put("f", new Attribute.Float(0.5));
        attributes.put("s", new Attribute.Str("NOTSET"));
        attributes.put("is", new Attribute.Ints(List.of(1L, 2L)));
        attributes.put("fs", new Attribute.Floats(List.of(1.5, -2.0)));
        attributes.put("ss", new Attribute.Strs(List.of("a", "b")));
        Graph graph = new Graph("g",
                List.of(new Tensor("x", List.of(), DType.INT8, TensorRole.INPUT),
                        new Tensor("y", null, DType.BOOL, TensorRole.OUTPUT)),
                List.of(new Node("n", "Custom", List.of("x"), List.of("y"), attributes)));

        assertThat(GraphMapper.toGraph(GraphMapper.toAvro(graph))).isEqualTo(graph);
    }

    @Test
    void theAvroEnumsNameExactlyTheIrDtypesAndRoles() {
        assertThat(Arrays.stream(DataType.values()).map(Enum::name))
                .containsExactlyElementsOf(Arrays.stream(DType.values()).map(Enum::name).toList());
        assertThat(Arrays.stream(dev.tessera.schemas.avro.TensorRole.values()).map(Enum::name))
                .containsExactlyElementsOf(Arrays.stream(TensorRole.values()).map(Enum::name).toList());
    }
}
