package dev.tessera.operators.graph.zoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tessera.operators.graph.Graph;
import dev.tessera.operators.graph.GraphStatistics;
import dev.tessera.operators.graph.Node;
import dev.tessera.operators.graph.Tensor;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The zoo's statistics against the published figures (parameters and multiply-accumulates), each
 * within 2%. The measured values are printed so that reports quote measurements.
 */
class ZooStatisticsTest {
    static Stream<Arguments> published() {
        return Stream.of(
                // name, published parameters, published MACs (sources: operators/README.md)
                Arguments.of("resnet50", 25.56e6, 4.09e9),
                Arguments.of("mobilenetv2", 3.50e6, 300e6),
                Arguments.of("vgg16", 138.36e6, 15.47e9),
                Arguments.of("inceptionv3", 23.8e6, 5.7e9),
                Arguments.of("bert-base", 110e6, 11.2e9));
    }

    /**
     * Exact counts of the reference implementations, which differ from ours only in how
     * BatchNormalization's vectors are counted: torchvision counts scale and bias (not the running
     * mean and variance); Keras' Inception-v3 has no scale but counts bias, mean and variance.
     */
    static Stream<Arguments> referenceCounts() {
        return Stream.of(
                Arguments.of("resnet50", 25_557_032L, List.of(3, 4)), // torchvision resnet50
                Arguments.of("mobilenetv2", 3_504_872L, List.of(3, 4)), // torchvision mobilenet_v2
                Arguments.of("vgg16", 138_357_544L, List.of()), // torchvision vgg16 (no batch norm)
                Arguments.of("inceptionv3", 23_851_784L, List.of(1)), // Keras InceptionV3, include_top
                Arguments.of("bert-base", 109_482_240L, List.of())); // Hugging Face BertModel
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("referenceCounts")
    void matchesTheReferenceImplementationsExactly(String name, long reference, List<Integer> uncountedBnInputs) {
        Graph g = Zoo.build(name);
        long uncounted = 0;
        for (Node n : g.nodes()) {
            if (n.opType().equals("BatchNormalization")) {
                for (int input : uncountedBnInputs) {
                    uncounted += tensor(g, n.inputs().get(input)).elementCount();
                }
            }
        }
        assertThat(GraphStatistics.of(g).parameters() - uncounted).isEqualTo(reference);
    }

    private static Tensor tensor(Graph g, String name) {
        return g.tensors().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("published")
    void matchesThePublishedFigures(String name, double parameters, double macs) {
        Graph g = Zoo.build(name);
        GraphStatistics s = GraphStatistics.of(g);
        System.out.printf(Locale.ROOT,
                "zoo %-12s nodes %4d  parameters %,13d (published %.2f M, %+.2f%%)  MACs %,15d (published %.3f G, %+.2f%%)"
                        + "  activation bytes %,12d  peak %,12d%n",
                name, g.nodes().size(), s.parameters(), parameters / 1e6, 100 * (s.parameters() / parameters - 1),
                s.macs(), macs / 1e9, 100 * (s.macs() / macs - 1), s.activationBytes(), s.peakActivationBytes());
        assertThat((double) s.parameters()).isCloseTo(parameters, within(0.02 * parameters));
        assertThat((double) s.macs()).isCloseTo(macs, within(0.02 * macs));
    }
}
