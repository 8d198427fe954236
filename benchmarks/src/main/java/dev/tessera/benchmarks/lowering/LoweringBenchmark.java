package dev.tessera.benchmarks.lowering;

import dev.tessera.benchmarks.RatioTable;
import dev.tessera.emulator.AcceleratorSpec;
import dev.tessera.operators.graph.Graph;
import dev.tessera.operators.graph.GraphLimits;
import dev.tessera.operators.graph.GraphValidator;
import dev.tessera.operators.graph.zoo.Zoo;
import dev.tessera.operators.lowering.LoopProgram;
import dev.tessera.operators.lowering.LoopVerifier;
import dev.tessera.operators.lowering.Lowering;
import dev.tessera.operators.lowering.LoweringOptions;

/**
 * Lowering and verifying ResNet-50 and BERT-base after warm-up.
 *
 * <ul>
 *   <li>Lowering (without the verifier) against graph validation of the same model, the stage
 *       before it.
 *   <li>The verifier ({@link LoopVerifier#verify}: proofs from domain bounds first, the library's
 *       exact questions for the rest) against {@link LoopVerifier#verifyExactly}, which puts every
 *       question to the library, as the verifier did before those proofs; and against lowering.
 *       The exact reference takes seconds per model, so it is timed once per model after a warm-up
 *       on a small fixture; the fast verifier is the mean of ten runs after five.
 * </ul>
 * Run: {@code java -cp benchmarks/target/benchmarks.jar dev.tessera.benchmarks.lowering.LoweringBenchmark}.
 */
public final class LoweringBenchmark {
    private LoweringBenchmark() {}

    public static void main(String[] args) {
        AcceleratorSpec spec = AcceleratorSpec.builtIn("inferentia2");
        LoweringOptions options = LoweringOptions.DEFAULTS.withVerify(false);
        RatioTable lowering = new RatioTable("lower (no verify)", "validate graph");
        RatioTable verifier = new RatioTable("verify", "verify exactly");
        RatioTable verifyVsLower = new RatioTable("verify", "lower (no verify)");
        LoopVerifier.verifyExactly(Lowering.lower(Zoo.build("attention-block"), spec, options), spec);
        for (String model : new String[] {"resnet50", "bert-base"}) {
            Graph g = Zoo.build(model);
            LoopProgram p = null;
            for (int i = 0; i < 5; i++) {
                p = Lowering.lower(g, spec, options);
                GraphValidator.validate(g, GraphLimits.DEFAULTS);
                LoopVerifier.verify(p, spec);
            }
            int runs = 10;
            long t0 = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                p = Lowering.lower(g, spec, options);
            }
            double lower = (System.nanoTime() - t0) / (double) runs;
            long t1 = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                GraphValidator.validate(g, GraphLimits.DEFAULTS);
            }
            double validate = (System.nanoTime() - t1) / (double) runs;
            long t2 = System.nanoTime();
            LoopVerifier.Questions asked = null;
            for (int i = 0; i < runs; i++) {
                asked = LoopVerifier.verify(p, spec);
            }
            double verify = (System.nanoTime() - t2) / (double) runs;
            long t3 = System.nanoTime();
            LoopVerifier.verifyExactly(p, spec);
            double exact = System.nanoTime() - t3;
            String name = model + " (" + p.statements().size() + " statements)";
            System.out.printf("%s: the verifier asked the library %d access and %d source questions%n", model,
                    asked.accesses(), asked.sources());
            lowering.add(name, lower, validate);
            verifier.add(name, verify, exact);
            verifyVsLower.add(name, verify, lower);
        }
        System.out.print(lowering.render());
        System.out.print(verifier.render());
        System.out.print(verifyVsLower.render());
    }
}
