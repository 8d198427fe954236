package dev.tessera.operators.onnx;

import java.nio.file.Path;

/**
 * Imports one model and prints "tensors nodes weights heap-used-bytes": the process the memory test
 * starts with a small {@code -Xmx}.
 */
public final class ImportProbe {
    private ImportProbe() {}

    public static void main(String[] args) {
        ImportedModel m = OnnxImporter.importGraph(Path.of(args[0]), ImportOptions.DEFAULTS);
        Runtime rt = Runtime.getRuntime();
        System.out.println(m.graph().tensors().size() + " " + m.graph().nodes().size() + " "
                + m.weights().names().size() + " " + (rt.totalMemory() - rt.freeMemory()));
    }
}
