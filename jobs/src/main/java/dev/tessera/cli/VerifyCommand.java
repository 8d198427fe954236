package dev.tessera.cli;

import dev.tessera.operators.graph.DType;
import dev.tessera.operators.graph.Tensor;
import dev.tessera.operators.graph.TensorRole;
import dev.tessera.operators.onnx.ImportedModel;
import dev.tessera.operators.onnx.OnnxImporter;
import dev.tessera.operators.reference.FloatTensor;
import dev.tessera.operators.reference.ReferenceInterpreter;
import dev.tessera.operators.reference.SeededInputs;
import dev.tessera.operators.reference.Tolerance;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tessera verify model.onnx}: runs the reference interpreter and ONNX Runtime on the same
 * seeded input and compares every output: |ref − ort| ≤ atol + rtol·|ort| element-wise. Exit code 0
 * only when every output passes.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Run a model on the reference interpreter and ONNX Runtime with the same seeded input; "
                + "print per output the max absolute and relative error and pass/fail (exit 0 only if all pass).",
            "Example: tessera verify rec.onnx --dim p2o.DynamicDimension.1=320"})
final class VerifyCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "MODEL.onnx", description = "the ONNX file")
    Path file;

    @CommandLine.Mixin
    ImportArguments importArguments;

    @Option(names = "--seed", defaultValue = "42", description = "seed of the random input (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--atol", defaultValue = "1e-5", description = "absolute tolerance (default: ${DEFAULT-VALUE})")
    double atol;

    @Option(names = "--rtol", defaultValue = "1e-4", description = "relative tolerance (default: ${DEFAULT-VALUE})")
    double rtol;

    @Option(names = "--json", description = "print the comparison as one JSON object")
    boolean json;

    @Override
    public Integer call() {
        Tolerance tolerance;
        try {
            tolerance = new Tolerance(atol, rtol);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        ImportedModel model = OnnxImporter.importGraph(file, importArguments.options(spec));
        Map<String, FloatTensor> inputs = SeededInputs.forGraph(model.graph(), seed);
        Map<String, DType> types = new LinkedHashMap<>();
        for (Tensor t : model.graph().tensors()) {
            if (t.role() == TensorRole.INPUT) {
                types.put(t.name(), t.dtype());
            }
        }
        Map<String, FloatTensor> reference = ReferenceInterpreter.run(model.graph(), model.weights(), inputs);
        Map<String, FloatTensor> ort = OrtRunner.run(file, inputs, types);
        PrintWriter out = spec.commandLine().getOut();
        boolean allPass = true;
        List<String> rows = new ArrayList<>();
        if (!json) {
            out.printf("%-32s %-20s %12s %12s  %s%n", "output", "shape", "max abs err", "max rel err", "result");
        }
        for (Map.Entry<String, FloatTensor> e : reference.entrySet()) {
            FloatTensor expected = ort.get(e.getKey());
            Tolerance.Comparison c = expected == null ? null : tolerance.compare(e.getValue(), expected);
            boolean pass = c != null && c.passed();
            allPass &= pass;
            String result = c == null ? "FAIL (ONNX Runtime has no such output)" : !c.shapesMatch()
                    ? "FAIL (shape " + e.getValue().shapeList() + " vs ONNX Runtime " + expected.shapeList() + ")"
                    : pass ? "pass" : "FAIL (" + c.failures() + " elements out of tolerance)";
            if (json) {
                rows.add(Json.object(Map.of("output", Json.string(e.getKey()),
                        "shape", Json.string(e.getValue().shapeList().toString()),
                        "maxAbsError", c == null ? "null" : Json.number(c.maxAbsError()),
                        "maxRelError", c == null ? "null" : Json.number(c.maxRelError()),
                        "pass", Boolean.toString(pass))));
            } else {
                out.printf("%-32s %-20s %12.3e %12.3e  %s%n", e.getKey(), e.getValue().shapeList(),
                        c == null ? Double.NaN : c.maxAbsError(), c == null ? Double.NaN : c.maxRelError(), result);
            }
        }
        if (json) {
            out.println(Json.object(Map.of("model", Json.string(model.graph().name()), "seed", Long.toString(seed),
                    "atol", Json.number(atol), "rtol", Json.number(rtol), "outputs", Json.array(rows),
                    "pass", Boolean.toString(allPass))));
        } else {
            out.printf("%s: %s (seed %d, atol %s, rtol %s)%n", file.getFileName(), allPass ? "all outputs agree"
                    : "outputs disagree", seed, atol, rtol);
        }
        return allPass ? 0 : 1;
    }
}
