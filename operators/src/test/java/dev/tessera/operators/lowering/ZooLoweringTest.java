package dev.tessera.operators.lowering;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.emulator.AcceleratorSpec;
import dev.tessera.operators.graph.Graph;
import dev.tessera.operators.graph.GraphStatistics;
import dev.tessera.operators.graph.zoo.Zoo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every zoo model lowers to a program that passes the verifier, prints and parses back byte for
 * byte, and whose MACs — the cardinality of its matmul domains, counted by the Presburger library —
 * equal the graph's MACs from shape formulas ({@link GraphStatistics}), two computations that share
 * no code.
 */
class ZooLoweringTest {
    static java.util.List<String> models() {
        return Zoo.names();
    }

    static java.util.List<String> fixtures() {
        return java.util.List.of("mlp", "conv-relu", "residual-block", "attention-block");
    }

    /** Every model, the five large ones included, passes the verifier; its loop-IR MACs equal the graph's. */
    @ParameterizedTest
    @MethodSource("models")
    void loopMacsEqualGraphMacs(String name) {
        Graph g = Zoo.build(name);
        LoopProgram p = Lowering.lower(g, AcceleratorSpec.builtIn("inferentia2"), LoweringOptions.DEFAULTS);
        assertEquals(GraphStatistics.of(g).macs(), LoopSummary.macs(p), "MACs of " + name);
        String text = LoopText.print(p);
        assertEquals(text, LoopText.print(LoopText.parse(text)), "text round trip of " + name);
    }

    /** The fixtures' summaries count the same MACs. */
    @ParameterizedTest
    @MethodSource("fixtures")
    void fixturesVerify(String name) {
        Graph g = Zoo.build(name);
        LoopProgram p = Lowering.lower(g, AcceleratorSpec.builtIn("inferentia2"), LoweringOptions.DEFAULTS);
        assertEquals(GraphStatistics.of(g).macs(), LoopSummary.of(p).macs(), "MACs of " + name);
    }
}
