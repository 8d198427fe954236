package dev.tessera.cli;

import dev.tessera.emulator.AcceleratorSpec;
import dev.tessera.emulator.SpecException;
import dev.tessera.emulator.StorageDtype;
import dev.tessera.operators.InvalidModelException;
import dev.tessera.operators.graph.Graph;
import dev.tessera.operators.graph.zoo.Zoo;
import dev.tessera.operators.lowering.LoopProgram;
import dev.tessera.operators.lowering.LoopSummary;
import dev.tessera.operators.lowering.LoopText;
import dev.tessera.operators.lowering.Lowering;
import dev.tessera.operators.lowering.LoweringOptions;
import dev.tessera.operators.onnx.ImportOptions;
import dev.tessera.operators.onnx.OnnxImporter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tessera lower <zoo name | model.onnx>}: lowers one model to the baseline loop IR and
 * prints it (text form), or with {@code --json} its summary: statements, buffers, MACs, DMA loads
 * and stores, on-chip and off-chip copies, PSUM evictions, SBUF peak.
 */
@Command(name = "lower", mixinStandardHelpOptions = true,
        description = "Lower a model (zoo name or .onnx file) to the verified baseline loop IR.")
public final class LowerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "a zoo model (${COMPLETION-CANDIDATES}) or an .onnx file",
            completionCandidates = ZooNames.class)
    String model;

    @Option(names = "--spec", paramLabel = "PROFILE", defaultValue = "inferentia2",
            description = "inferentia1, inferentia2 or a profile .yaml file (default: ${DEFAULT-VALUE})")
    String profile;

    @Option(names = "--dtype", paramLabel = "DTYPE", defaultValue = "fp32",
            description = "storage type of tensors: fp32, bf16 or fp16 (default: ${DEFAULT-VALUE})")
    String dtype;

    @Option(names = "--json", description = "print the summary as JSON instead of the IR")
    boolean json;

    /** The zoo names, for the help text. */
    static final class ZooNames extends java.util.ArrayList<String> {
        private static final long serialVersionUID = 1L;

        ZooNames() {
            super(Zoo.names());
        }
    }

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        var out = spec.commandLine().getOut();
        StorageDtype storage;
        AcceleratorSpec target;
        try {
            storage = StorageDtype.parse(dtype);
            target = AcceleratorSpec.load(profile);
        } catch (IllegalArgumentException | SpecException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        Graph graph;
        try {
            graph = model.endsWith(".onnx")
                    ? OnnxImporter.importGraph(Path.of(model), ImportOptions.DEFAULTS).graph()
                    : Zoo.build(model);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (InvalidModelException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
        try {
            LoopProgram p = Lowering.lower(graph, target, LoweringOptions.DEFAULTS.withDtype(storage));
            out.print(json ? LoopSummary.of(p).toJson() + "\n" : LoopText.print(p));
            out.flush();
            return 0;
        } catch (InvalidModelException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }
}
