package dev.tessera.operators.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.operators.InvalidModelException;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Validation: a well-formed graph gets its shapes, and each kind of user error fails with its message. */
class GraphValidatorTest {
    private static final String VALID = """
            graph "m"
            tensor "x" float32 input [1, 3, 8, 8]
            tensor "w" float32 weight [4, 3, 3, 3]
            tensor "c" float32 activation ?
            tensor "y" float32 output ?
            node "conv" Conv ("x", "w") -> ("c") pads=ints[1, 1, 1, 1]
            node "relu" Relu ("c") -> ("y")
            """;

    @Test
    void fillsInTheShapesAndKeepsTheOrder() {
        Graph g = GraphValidator.validate(GraphText.parse(VALID), GraphLimits.DEFAULTS);
        assertThat(g.tensors()).extracting(Tensor::name).containsExactly("x", "w", "c", "y");
        assertThat(g.tensors()).extracting(Tensor::shape)
                .containsExactly(List.of(1L, 3L, 8L, 8L), List.of(4L, 3L, 3L, 3L), List.of(1L, 4L, 8L, 8L),
                        List.of(1L, 4L, 8L, 8L));
        assertThat(g.nodes()).isEqualTo(GraphText.parse(VALID).nodes());
    }

    @Test
    void validatingAValidatedGraphChangesNothing() {
        Graph once = GraphValidator.validate(GraphText.parse(VALID), GraphLimits.DEFAULTS);
        assertThat(GraphValidator.validate(once, GraphLimits.DEFAULTS)).isEqualTo(once);
    }

    @Test
    void acceptsAnAbsentOptionalInputAndAnUnusedWeight() {
        String text = VALID.replace("(\"x\", \"w\")", "(\"x\", \"w\", \"\")")
                + "tensor \"unused\" float32 weight [2]\n";
        assertThat(GraphValidator.validate(GraphText.parse(text), GraphLimits.DEFAULTS).tensors()).hasSize(5);
    }

    @Nested
    class Structure {
        @Test
        void duplicateTensor() {
            assertRejected(VALID + "tensor \"w\" float32 weight [1]\n", "tensor 'w' is declared twice");
        }

        @Test
        void emptyTensorName() {
            assertRejected(VALID + "tensor \"\" float32 weight [1]\n", "a tensor has an empty name");
        }

        @Test
        void inputWithoutShape() {
            assertRejected(VALID.replace("input [1, 3, 8, 8]", "input ?"),
                    "tensor 'x' (input) has no shape; inputs and weights must declare theirs");
        }

        @Test
        void nonPositiveDimension() {
            assertRejected(VALID.replace("weight [4, 3, 3, 3]", "weight [4, 0, 3, 3]"),
                    "tensor 'w' has shape [4, 0, 3, 3]; every dimension must be positive");
        }

        @Test
        void danglingInput() {
            assertRejected(VALID.replace("(\"x\", \"w\")", "(\"x\", \"kernel\")"),
                    "node 'conv' (Conv) reads tensor 'kernel', which is not declared");
        }

        @Test
        void undeclaredOutput() {
            assertRejected(VALID.replace("-> (\"y\")", "-> (\"y\", \"z\")"),
                    "node 'relu' (Relu) writes tensor 'z', which is not declared");
        }

        @Test
        void nodeWritesAWeight() {
            assertRejected(VALID.replace("-> (\"c\")", "-> (\"w\")"),
                    "node 'conv' (Conv) writes tensor 'w', which is a weight; only activations and outputs are produced"
                            + " by nodes");
        }

        @Test
        void tensorProducedTwice() {
            assertRejected(VALID + "node \"relu2\" Relu (\"c\") -> (\"y\")\n",
                    "tensor 'y' is produced twice: by node 'relu' and by node 'relu2'");
        }

        @Test
        void activationWithoutProducer() {
            assertRejected(VALID + "tensor \"orphan\" float32 activation [1]\n",
                    "tensor 'orphan' (activation) is produced by no node");
        }

        @Test
        void noOutput() {
            assertRejected(VALID.replace("output ?", "activation ?"), "the graph has no output tensor");
        }

        @Test
        void duplicateNodeName() {
            assertRejected(VALID.replace("node \"relu\"", "node \"conv\""),
                    "node name 'conv' is used twice (nodes 0 and 1)");
        }

        @Test
        void emptyNodeName() {
            assertRejected(VALID.replace("node \"relu\"", "node \"\""), "node 1 (Relu) has an empty name");
        }

        @Test
        void unknownOp() {
            assertRejected(VALID.replace("Relu", "Swish"), "node 'relu' (Swish): unknown op type 'Swish'; supported: Add,"
                    + " AveragePool, BatchNormalization, Cast, Clip, Concat, Conv, ConvTranspose, Div, Erf, Flatten, Gather,"
                    + " Gelu, Gemm, GlobalAveragePool, HardSigmoid, HardSwish, Identity, LayerNormalization, LeakyRelu,"
                    + " MatMul, Max,"
                    + " MaxPool, Min, Mul, Pad, Pow, ReduceMean, Relu, Reshape, Resize, Sigmoid, Slice, Softmax, Split,"
                    + " Sqrt, Squeeze, Sub, Tanh, Transpose, Unsqueeze");
        }
    }

    @Nested
    class Order {
        @Test
        void cycleIsNamed() {
            String cyclic = """
                    graph "m"
                    tensor "x" float32 input [2]
                    tensor "a" float32 activation ?
                    tensor "b" float32 activation ?
                    tensor "y" float32 output ?
                    node "n1" Add ("x", "b") -> ("a")
                    node "n2" Relu ("a") -> ("b")
                    node "n3" Relu ("a") -> ("y")
                    """;
            assertRejected(cyclic, "the graph has a cycle: node 'n1' -> node 'n2' -> node 'n1'");
        }

        @Test
        void selfLoopIsACycle() {
            String selfLoop = """
                    graph "m"
                    tensor "x" float32 input [2]
                    tensor "y" float32 output ?
                    node "n1" Add ("x", "y") -> ("y")
                    """;
            assertRejected(selfLoop, "the graph has a cycle: node 'n1' -> node 'n1'");
        }

        @Test
        void nodesOutOfTopologicalOrder() {
            String swapped = """
                    graph "m"
                    tensor "x" float32 input [1, 3, 8, 8]
                    tensor "w" float32 weight [4, 3, 3, 3]
                    tensor "c" float32 activation ?
                    tensor "y" float32 output ?
                    node "relu" Relu ("c") -> ("y")
                    node "conv" Conv ("x", "w") -> ("c") pads=ints[1, 1, 1, 1]
                    """;
            assertRejected(swapped, "node 'relu' reads tensor 'c' before node 'conv' produces it: nodes must be listed"
                    + " in a topological order");
        }
    }

    @Nested
    class Types {
        @Test
        void declaredShapeDiffersFromTheInferredOne() {
            assertRejected(VALID.replace("\"c\" float32 activation ?", "\"c\" float32 activation [1, 4, 6, 6]"),
                    "tensor 'c' is declared with shape [1, 4, 6, 6] but node 'conv' (Conv) produces [1, 4, 8, 8]");
        }

        @Test
        void declaredDtypeDiffersFromTheInferredOne() {
            assertRejected(VALID.replace("\"y\" float32 output", "\"y\" float16 output"),
                    "tensor 'y' is declared float16 but node 'relu' (Relu) produces float32");
        }

        @Test
        void inputDtypesDisagree() {
            assertRejected(VALID.replace("\"w\" float32", "\"w\" float16"),
                    "node 'conv' (Conv): dtype mismatch: input 0 ('x') is float32 but input 1 ('w') is float16");
        }

        @Test
        void inputShapesDisagree() {
            assertRejected(VALID.replace("weight [4, 3, 3, 3]", "weight [4, 2, 3, 3]"),
                    "node 'conv' (Conv): weight 'w' shape [4, 2, 3, 3] does not match input channels 3 with group 1:"
                            + " expected weight dimension 1 = 3/1");
        }

        @Test
        void attributeOutOfRange() {
            assertRejected(VALID.replace("pads=ints[1, 1, 1, 1]", "group=0"),
                    "node 'conv' (Conv): attribute 'group' = 0 is out of range [1, 3]");
        }

        @Test
        void attributeOfTheWrongType() {
            assertRejected(VALID.replace("pads=ints[1, 1, 1, 1]", "pads=1"),
                    "node 'conv' (Conv): attribute 'pads' must be a list of ints, got int 1");
        }

        @Test
        void unknownAttribute() {
            assertRejected(VALID.replace("pads=ints[1, 1, 1, 1]", "padding=ints[1, 1, 1, 1]"),
                    "node 'conv' (Conv): unknown attribute 'padding'; Conv accepts auto_pad, dilations, group,"
                            + " kernel_shape, pads, strides");
        }

        @Test
        void missingRequiredAttribute() {
            String text = VALID.replace("Relu (\"c\") -> (\"y\")", "Concat (\"c\", \"c\") -> (\"y\")");
            assertRejected(text, "node 'relu' (Concat): missing required attribute 'axis'");
        }

        @Test
        void wrongNumberOfInputs() {
            assertRejected(VALID.replace("(\"x\", \"w\")", "(\"x\")"), "node 'conv' (Conv): has 1 inputs, expected"
                    + " between 2 and 3");
        }

        @Test
        void absentInputOfAVariadicOp() {
            String text = VALID.replace("Relu (\"c\") -> (\"y\")", "Concat (\"c\", \"\") -> (\"y\") axis=1");
            assertRejected(text, "node 'relu' (Concat): required input 1 is missing (empty name)");
        }

        @Test
        void missingRequiredInput() {
            assertRejected(VALID.replace("(\"x\", \"w\")", "(\"\", \"w\")"),
                    "node 'conv' (Conv): required input 0 is missing (empty name)");
        }
    }

    @Nested
    class Limits {
        @Test
        void tooManyNodes() {
            assertRejected(VALID, new GraphLimits(1, 1L << 31, 8, 1L << 34), "2 nodes exceed the limit of 1 nodes"
                    + " (maxNodes)");
        }

        @Test
        void declaredTensorOverTheElementLimit() {
            assertRejected(VALID, new GraphLimits(100, 150, 8, 1L << 34),
                    "tensor 'x' has 192 elements (shape [1, 3, 8, 8]), over the limit of 150 (maxTensorElements)");
        }

        @Test
        void inferredTensorOverTheElementLimit() {
            assertRejected(VALID, new GraphLimits(100, 200, 8, 1L << 34),
                    "tensor 'c' (output of node 'conv' (Conv)) has 256 elements (shape [1, 4, 8, 8]), over the limit"
                            + " of 200 (maxTensorElements)");
        }

        @Test
        void elementCountThatOverflowsALong() {
            String huge = VALID.replace("weight [4, 3, 3, 3]", "weight [4294967296, 4294967296]");
            assertRejected(huge, "tensor 'w' has more than 9223372036854775807 elements (shape [4294967296,"
                    + " 4294967296]), over the limit of 2147483648 (maxTensorElements)");
        }

        @Test
        void rankOverTheLimit() {
            assertRejected(VALID, new GraphLimits(100, 1L << 31, 3, 1L << 34),
                    "tensor 'x' has rank 4 (shape [1, 3, 8, 8]), over the limit of 3 (maxRank)");
        }

        @Test
        void totalBytesOverTheLimit() {
            // x 768 + w 432 + c 1024 + y 1024 = 3248 bytes
            assertRejected(VALID, new GraphLimits(100, 1L << 31, 8, 3000),
                    "tensors total 3248 bytes, over the limit of 3000 bytes (maxTotalBytes)");
            assertThat(GraphValidator.validate(GraphText.parse(VALID), new GraphLimits(2, 256, 4, 3248))).isNotNull();
        }
    }

    private static void assertRejected(String text, String message) {
        assertRejected(text, GraphLimits.DEFAULTS, message);
    }

    private static void assertRejected(String text, GraphLimits limits, String message) {
        Graph g = GraphText.parse(text);
        assertThatThrownBy(() -> GraphValidator.validate(g, limits))
                .isInstanceOf(InvalidModelException.class)
                .hasMessage("model 'm': " + message);
    }
}
