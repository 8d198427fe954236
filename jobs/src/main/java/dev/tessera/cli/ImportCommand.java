package dev.tessera.cli;

import dev.tessera.operators.graph.Graph;
import dev.tessera.operators.graph.GraphStatistics;
import dev.tessera.operators.graph.GraphValidator;
import dev.tessera.operators.graph.Node;
import dev.tessera.operators.graph.Tensor;
import dev.tessera.operators.graph.TensorRole;
import dev.tessera.operators.onnx.ImportedModel;
import dev.tessera.operators.onnx.OnnxImporter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tessera import model.onnx}: reads an ONNX file into the graph IR, validates it, and prints a
 * summary (ops with counts, parameters, MACs, input and output shapes), or the error that stops it.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Read an .onnx file: graph summary (ops, parameters, MACs, shapes) or a clear error.",
            "Example: tessera import cls.onnx --dim p2o.DynamicDimension.1=48 --dim p2o.DynamicDimension.2=192"})
final class ImportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "MODEL.onnx", description = "the ONNX file")
    Path file;

    @CommandLine.Mixin
    ImportArguments importArguments;

    @Option(names = "--json", description = "print the summary as one JSON object")
    boolean json;

    @Override
    public Integer call() {
        ImportedModel model = OnnxImporter.importGraph(file, importArguments.options(spec));
        Graph graph = GraphValidator.validate(model.graph(), importArguments.options(spec).limits());
        GraphStatistics stats = GraphStatistics.of(graph);
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Integer> ops = new TreeMap<>();
        for (Node n : graph.nodes()) {
            ops.merge(n.opType(), 1, Integer::sum);
        }
        List<Tensor> inputs = role(graph, TensorRole.INPUT);
        List<Tensor> outputs = role(graph, TensorRole.OUTPUT);
        if (json) {
            out.println(Json.object(Map.of(
                    "model", Json.string(graph.name()),
                    "file", Json.string(file.toString()),
                    "producer", Json.string(model.producer()),
                    "opset", Long.toString(model.opsetVersion()),
                    "nodes", Integer.toString(graph.nodes().size()),
                    "ops", Json.object(ops.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                            e -> e.getValue().toString(), (a, b) -> a, TreeMap::new))),
                    "parameters", Long.toString(stats.parameters()),
                    "macs", Long.toString(stats.macs()),
                    "inputs", tensorsJson(inputs),
                    "outputs", tensorsJson(outputs))));
            return 0;
        }
        out.printf("model      %s (%s, opset %d)%n", graph.name(), model.producer().isEmpty() ? "unknown producer"
                : model.producer(), model.opsetVersion());
        for (Tensor t : inputs) {
            out.printf("input      %s %s %s%n", t.name(), t.dtype().text(), t.shape());
        }
        for (Tensor t : outputs) {
            out.printf("output     %s %s %s%n", t.name(), t.dtype().text(), t.shape());
        }
        out.printf("nodes      %d%n", graph.nodes().size());
        out.printf("parameters %,d (%,d bytes)%n", stats.parameters(), stats.weightBytes());
        out.printf("MACs       %,d%n", stats.macs());
        out.println("ops");
        ops.forEach((op, n) -> out.printf("  %-20s %d%n", op, n));
        return 0;
    }

    private static List<Tensor> role(Graph g, TensorRole role) {
        return g.tensors().stream().filter(t -> t.role() == role).toList();
    }

    private static String tensorsJson(List<Tensor> tensors) {
        return Json.array(tensors.stream().map(t -> Json.object(Map.of(
                "name", Json.string(t.name()),
                "dtype", Json.string(t.dtype().text()),
                "shape", Json.array(t.shape().stream().map(String::valueOf).toList())))).toList());
    }
}
