package dev.tessera.operators.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.operators.InvalidModelException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The builder infers shapes while a model is written, and refuses what cannot become a valid graph. */
class GraphBuilderTest {
    @Test
    void infersShapesAsNodesAreAdded() {
        GraphBuilder b = new GraphBuilder("mlp");
        String x = b.input("x", DType.FLOAT32, 1, 784);
        String h = b.node("Gemm", "fc1", List.of(x, b.weight("fc1.weight", 128, 784), b.weight("fc1.bias", 128)),
                Map.of("transB", Attribute.of(1)));
        assertThat(b.shape(h)).containsExactly(1L, 128L);
        List<String> halves = b.node("Split", "split", List.of(h), List.of("lo", "hi"), Map.of("axis", Attribute.of(1)));
        assertThat(b.shape(halves.get(1))).containsExactly(1L, 64L);
        b.output(b.node("Max", "max", halves, Map.of()));
        Graph g = b.build();
        assertThat(g.tensors()).extracting(Tensor::name)
                .containsExactly("x", "fc1.weight", "fc1.bias", "fc1", "lo", "hi", "max");
        assertThat(g.tensors().get(6).role()).isEqualTo(TensorRole.OUTPUT);
    }

    @Test
    void refusesDuplicatesUnknownTensorsAndBadOutputs() {
        GraphBuilder b = new GraphBuilder("m");
        String x = b.input("x", DType.FLOAT32, 2);
        assertThatThrownBy(() -> b.weight("x", 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model 'm': tensor 'x' is declared twice");
        assertThatThrownBy(() -> b.node("Relu", "r", List.of("y"), Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model 'm': node 'r' reads undeclared tensor 'y'");
        assertThatThrownBy(() -> b.output(x)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model 'm': 'x' is not an activation");
        assertThatThrownBy(() -> b.shape("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model 'm' has no tensor 'nope'");
    }

    @Test
    void shapeErrorsSurfaceWhenTheNodeIsAdded() {
        GraphBuilder b = new GraphBuilder("m");
        String x = b.input("x", DType.FLOAT32, 2, 3);
        String w = b.weight("w", 4, 5);
        assertThatThrownBy(() -> b.node("MatMul", "mm", List.of(x, w), Map.of()))
                .isInstanceOf(InvalidModelException.class)
                .hasMessage("model 'm': node 'mm' (MatMul): inner dimensions differ: A [2, 3] has K = 3 but B [4, 5] has"
                        + " K = 4");
    }

    @Test
    void buildValidatesTheWholeGraph() {
        GraphBuilder b = new GraphBuilder("m");
        b.node("Relu", "r", List.of(b.input("x", DType.FLOAT32, 2)), Map.of());
        assertThatThrownBy(b::build).isInstanceOf(InvalidModelException.class)
                .hasMessage("model 'm': the graph has no output tensor");
    }
}
