package dev.tessera.cli;

import dev.tessera.emulator.AcceleratorSpec;
import dev.tessera.emulator.Emulator;
import dev.tessera.emulator.ExecutionReport;
import dev.tessera.emulator.program.MachineProgram;
import dev.tessera.emulator.program.ProgramText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tessera emulate <program.tasm>}: assembles a machine program and runs it on an emulated
 * NeuronCore, printing the execution report (text, or JSON with {@code --json}). A program that
 * breaks a hardware or ordering rule fails with the rule and the instructions involved.
 */
@Command(
        name = "emulate",
        mixinStandardHelpOptions = true,
        description = {"Runs a machine program (text form, see accel-emulator/README.md) on an emulated NeuronCore "
                + "and prints time, engine busy time, DMA traffic, copies, PSUM evictions and SBUF/PSUM peaks.",
                "Functional runs fill input and weight tensors with seeded uniform values in [-1, 1) unless --data gives them."})
public final class EmulateCommand implements Callable<Integer> {
    @Spec
    CommandSpec command;

    @Parameters(index = "0", paramLabel = "<program file>", description = "Machine program in text form (.tasm).")
    Path programFile;

    @Option(names = "--spec", paramLabel = "<profile>", defaultValue = "inferentia2",
            description = "Built-in profile (inferentia1, inferentia2) or a YAML profile file. Default: ${DEFAULT-VALUE}.")
    String specName;

    @Option(names = "--functional", description = "Compute values too (fp32; stores round to each buffer's dtype).")
    boolean functional;

    @Option(names = "--seed", paramLabel = "<n>", defaultValue = "0",
            description = "Seed of the random input and weight data of --functional. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--data", paramLabel = "<tensor>=<file>",
            description = "Data of an input or weight tensor for --functional: a text file of row-major numbers "
                    + "separated by white space. Repeatable.")
    Map<String, Path> data = new LinkedHashMap<>();

    @Option(names = "--json", description = "Print the report as one JSON object, with the per-instruction timeline.")
    boolean json;

    @Option(names = "--no-timeline", description = "Leave the timeline out of the JSON report.")
    boolean noTimeline;

    @Override
    public Integer call() throws IOException {
        MachineProgram program = ProgramText.parse(read(programFile, "program file"));
        AcceleratorSpec spec = AcceleratorSpec.load(specName);
        if (!data.isEmpty() && !functional) {
            throw new IllegalArgumentException("--data needs --functional");
        }
        Emulator.Options options = Emulator.Options.timingOnly();
        if (functional) {
            Map<String, float[]> values = Emulator.seededData(program, seed);
            for (Map.Entry<String, Path> given : data.entrySet()) {
                values.put(given.getKey(), numbers(given.getValue()));
            }
            options = Emulator.Options.functional(values);
        }
        ExecutionReport report = Emulator.run(program, spec, options);
        if (json) {
            command.commandLine().getOut().println(report.toJson(!noTimeline));
        } else {
            command.commandLine().getOut().print(report.toText());
        }
        command.commandLine().getOut().flush();
        return 0;
    }

    private static String read(Path file, String what) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + what + " " + file + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null || e.getMessage().equals(file.toString()) ? "" : " " + e.getMessage()));
        }
    }

    private static float[] numbers(Path file) {
        String text = read(file, "data file").trim();
        List<Float> values = new ArrayList<>();
        if (!text.isEmpty()) {
            for (String token : text.split("\\s+")) {
                try {
                    values.add(Float.parseFloat(token));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("data file " + file + ": '" + token + "' is not a number");
                }
            }
        }
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
