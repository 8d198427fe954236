package dev.tessera.operators.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.operators.graph.zoo.Zoo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The canonical text form: its exact layout, and that parsing gives back the printed graph. */
class GraphTextTest {
    @Test
    void printsTheCanonicalForm() {
        assertThat(GraphText.print(Zoo.build("conv-relu"))).isEqualTo("""
                graph "conv-relu"
                tensor "input" float32 input [1, 3, 32, 32]
                tensor "conv.weight" float32 weight [16, 3, 3, 3]
                tensor "conv.bias" float32 weight [16]
                tensor "conv" float32 activation [1, 16, 32, 32]
                tensor "relu" float32 output [1, 16, 32, 32]
                node "conv" Conv ("input", "conv.weight", "conv.bias") -> ("conv") group=1 kernel_shape=ints[3, 3] \
                pads=ints[1, 1, 1, 1] strides=ints[1, 1]
                node "relu" Relu ("conv") -> ("relu")
                """);
    }

    @Test
    void everyZooModelRoundTrips() {
        for (String name : Zoo.names()) {
            Graph g = Zoo.build(name);
            assertThat(GraphText.parse(GraphText.print(g))).as(name).isEqualTo(g);
        }
    }

    @Test
    void oddNamesAndEveryAttributeKindRoundTrip() {
        Node node = new Node("n \"1\"\n", "Relu", List.of("", "a\\b"), List.of("\u00e9\t\u0001"), Map.of(
                "i", Attribute.of(-7), "f", Attribute.of(1e-12), "nan", Attribute.of(Double.NaN),
                "inf", Attribute.of(Double.NEGATIVE_INFINITY), "s", Attribute.of("x y"),
                "is", Attribute.ints(), "fs", new Attribute.Floats(List.of(0.5, -2.0)),
                "ss", new Attribute.Strs(List.of("", "q\"")), "odd name", Attribute.of(1.0)));
        Graph g = new Graph("m", List.of(new Tensor("t", List.of(), DType.BOOL, TensorRole.INPUT),
                new Tensor("u", null, DType.BFLOAT16, TensorRole.OUTPUT)), List.of(node));
        String text = GraphText.print(g);
        assertThat(text).contains("node \"n \\\"1\\\"\\n\" Relu (\"\", \"a\\\\b\") -> (\"\u00e9\\t\\u0001\")",
                "f=1.0E-12", "i=-7", "inf=-Infinity", "is=ints[]", "nan=NaN", "\"odd name\"=1.0",
                "ss=strs[\"\", \"q\\\"\"]", "tensor \"t\" bool input []", "tensor \"u\" bfloat16 output ?");
        assertThat(GraphText.parse(text)).isEqualTo(g);
    }

    @Test
    void parseErrorsNameTheLine() {
        assertThatThrownBy(() -> GraphText.parse("graph \"m\"\ntensor \"x\" float64 input [1]\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("graph text line 2, column 12: unknown dtype 'float64'");
        assertThatThrownBy(() -> GraphText.parse("graph \"m\"\ntensor \"x\" float32 input [1, two]\n"))
                .hasMessage("graph text line 2, column 30: 'two' is not an integer");
        assertThatThrownBy(() -> GraphText.parse("tensor \"x\" float32 input [1]\n"))
                .hasMessage("graph text line 1, column 1: expected 'graph \"name\"' first");
        assertThatThrownBy(() -> GraphText.parse("graph \"m\"\nnode \"n\" Relu (\"x\") (\"y\")\n"))
                .hasMessage("graph text line 2, column 21: expected '->'");
        assertThatThrownBy(() -> GraphText.parse("graph \"m\"\ntensor \"x\" float32 sideways [1]\n"))
                .hasMessageContaining("unknown tensor role 'sideways'");
        assertThatThrownBy(() -> GraphText.parse("graph \"m\" extra\n"))
                .hasMessage("graph text line 1, column 11: unexpected text 'extra'");
        assertThatThrownBy(() -> GraphText.parse("")).hasMessage("graph text is empty");
    }
}
