package dev.tessera.benchmarks.lowering;

import dev.tessera.benchmarks.RatioTable;
import dev.tessera.emulator.AcceleratorSpec;
import dev.tessera.operators.graph.Graph;
import dev.tessera.operators.graph.GraphLimits;
import dev.tessera.operators.graph.GraphValidator;
import dev.tessera.operators.graph.zoo.Zoo;
import dev.tessera.operators.lowering.LoopProgram;
import dev.tessera.operators.lowering.Lowering;
import dev.tessera.operators.lowering.LoweringOptions;

/**
 * Lowering time of ResNet-50 and BERT-base after warm-up, against graph validation of the same
 * model measured in the same run (the stage before it). Lowering is timed without the verifier
 * (the verifier's exact set checks are reported once, separately, as they dominate).
 * Run: {@code java -cp benchmarks/target/benchmarks.jar dev.tessera.benchmarks.lowering.LoweringBenchmark}.
 */
public final class LoweringBenchmark {
    private LoweringBenchmark() {}

    public static void main(String[] args) {
        AcceleratorSpec spec = AcceleratorSpec.builtIn("inferentia2");
        RatioTable table = new RatioTable("lower (no verify)", "validate graph");
        for (String model : new String[] {"resnet50", "bert-base"}) {
            Graph g = Zoo.build(model);
            LoweringOptions options = LoweringOptions.DEFAULTS.withVerify(false);
            int statements = 0;
            for (int i = 0; i < 5; i++) {
                statements = Lowering.lower(g, spec, options).statements().size();
                GraphValidator.validate(g, GraphLimits.DEFAULTS);
            }
            int runs = 10;
            long t0 = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                LoopProgram p = Lowering.lower(g, spec, options);
                statements = p.statements().size();
            }
            double lower = (System.nanoTime() - t0) / (double) runs;
            long t1 = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                GraphValidator.validate(g, GraphLimits.DEFAULTS);
            }
            double validate = (System.nanoTime() - t1) / (double) runs;
            table.add(model + " (" + statements + " statements)", lower, validate);
            long t2 = System.nanoTime();
            Lowering.lower(g, spec, LoweringOptions.DEFAULTS);
            System.out.printf("%s: lowering with the verifier, once: %.1f s%n", model, (System.nanoTime() - t2) / 1e9);
        }
        System.out.print(table.render());
    }
}
