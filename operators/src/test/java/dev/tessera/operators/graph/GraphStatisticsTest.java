package dev.tessera.operators.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.operators.InternalCompilerError;
import dev.tessera.operators.graph.GraphStatistics.TensorBytes;
import org.junit.jupiter.api.Test;

/** Statistics of small graphs, each figure worked out by hand in a comment. */
class GraphStatisticsTest {
    private static final String NET = """
            graph "net"
            tensor "x" float32 input [1, 2, 4, 4]
            tensor "w" float32 weight [4, 1, 3, 3]
            tensor "b" float32 weight [4]
            tensor "c" float32 activation ?
            tensor "r" float32 activation ?
            tensor "f" float32 activation ?
            tensor "w2" float32 weight [3, 16]
            tensor "b2" float32 weight [3]
            tensor "y" float32 output ?
            node "conv" Conv ("x", "w", "b") -> ("c") group=2 pads=ints[1, 1, 1, 1] strides=ints[2, 2]
            node "relu" Relu ("c") -> ("r")
            node "flatten" Flatten ("r") -> ("f")
            node "fc" Gemm ("f", "w2", "b2") -> ("y") transB=1
            """;

    private static GraphStatistics stats(String text) {
        return GraphStatistics.of(GraphValidator.validate(GraphText.parse(text), GraphLimits.DEFAULTS));
    }

    @Test
    void countsParametersAndMacs() {
        GraphStatistics s = stats(NET);
        // weights: 4*1*3*3 + 4 + 3*16 + 3 = 91 elements of 4 bytes
        assertThat(s.parameters()).isEqualTo(91);
        assertThat(s.weightBytes()).isEqualTo(364);
        // conv: Y [1, 4, 2, 2] = 16 elements, each (2 channels / 2 groups) * 3 * 3 = 9 MACs -> 144
        // gemm: M 1, N 3, K 16 -> 48
        assertThat(s.macs()).isEqualTo(144 + 48);
    }

    @Test
    void activationBytesAndTheirOrder() {
        GraphStatistics s = stats(NET);
        // c, r, f: 16 float32 each = 64 bytes; y: 3 float32 = 12 bytes
        assertThat(s.activationBytes()).isEqualTo(64 + 64 + 64 + 12);
        assertThat(s.tensorBytes()).containsExactly(
                new TensorBytes("x", TensorRole.INPUT, 128), new TensorBytes("w", TensorRole.WEIGHT, 144),
                new TensorBytes("b", TensorRole.WEIGHT, 16), new TensorBytes("c", TensorRole.ACTIVATION, 64),
                new TensorBytes("r", TensorRole.ACTIVATION, 64), new TensorBytes("f", TensorRole.ACTIVATION, 64),
                new TensorBytes("w2", TensorRole.WEIGHT, 192), new TensorBytes("b2", TensorRole.WEIGHT, 12),
                new TensorBytes("y", TensorRole.OUTPUT, 12));
        assertThat(s.bytesOf("w2")).isEqualTo(192);
        assertThatThrownBy(() -> s.bytesOf("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model 'net' has no tensor 'nope'");
    }

    @Test
    void peakOfLiveActivations() {
        // step 0 (conv): x 128 + c 64 = 192; step 1: c + r = 128; step 2: r + f = 128; step 3: f + y = 76
        assertThat(stats(NET).peakActivationBytes()).isEqualTo(192);
    }

    @Test
    void peakKeepsABranchAliveUntilItsLastConsumer() {
        String residual = """
                graph "res"
                tensor "x" float32 input [100]
                tensor "a" float32 activation ?
                tensor "b" float32 activation ?
                tensor "c" float32 activation ?
                tensor "y" float32 output ?
                node "n0" Relu ("x") -> ("a")
                node "n1" Relu ("a") -> ("b")
                node "n2" Relu ("b") -> ("c")
                node "n3" Add ("a", "c") -> ("y")
                """;
        // a lives over steps 0..3; at step 2: a + b + c = 1200; at step 3: a + c + y = 1200; x dies after step 0
        // (step 0: x + a = 800)
        assertThat(stats(residual).peakActivationBytes()).isEqualTo(1200);
    }

    @Test
    void outputsStayLiveToTheEnd() {
        String twoOutputs = """
                graph "two"
                tensor "x" float32 input [10]
                tensor "y1" float32 output ?
                tensor "a" float32 activation ?
                tensor "y2" float32 output ?
                node "n0" Relu ("x") -> ("y1")
                node "n1" Relu ("x") -> ("a")
                node "n2" Relu ("a") -> ("y2")
                """;
        // step 1: x + y1 + a = 120; step 2: y1 + a + y2 = 120 (y1 is still held for the caller)
        assertThat(stats(twoOutputs).peakActivationBytes()).isEqualTo(120);
    }

    @Test
    void macsOfBatchedMatMulAndConvTranspose() {
        String text = """
                graph "mm"
                tensor "a" float32 input [2, 3, 4]
                tensor "b" float32 weight [4, 5]
                tensor "y" float32 output ?
                tensor "x" float32 input [1, 4, 5, 5]
                tensor "w" float32 weight [4, 3, 3, 3]
                tensor "z" float32 output ?
                node "mm" MatMul ("a", "b") -> ("y")
                node "up" ConvTranspose ("x", "w") -> ("z") group=2 strides=ints[2, 2]
                """;
        // MatMul: Y [2, 3, 5] = 30 elements x K 4 = 120
        // ConvTranspose: 100 input elements, each meets M/group = 3 output channels x 3x3 taps = 27 -> 2700
        assertThat(stats(text).macs()).isEqualTo(120 + 2700);
    }

    @Test
    void anUnvalidatedGraphIsAnInternalError() {
        assertThatThrownBy(() -> GraphStatistics.of(GraphText.parse(NET)))
                .isInstanceOf(InternalCompilerError.class)
                .hasMessage("statistics of model 'net' need a validated graph, but tensor 'c' has no shape");
    }
}
