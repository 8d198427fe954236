package dev.tessera.cli;

import dev.tessera.operators.onnx.ImportOptions;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options of every command that reads an ONNX file. */
final class ImportArguments {
    @Option(names = "--dim", paramLabel = "NAME=VALUE",
            description = "value of a symbolic input dimension (repeatable); a symbolic first dimension defaults to 1")
    List<String> dimensions = new ArrayList<>();

    @Option(names = "--max-dimension", paramLabel = "N", defaultValue = "16777216",
            description = "largest size any one dimension may have (default: ${DEFAULT-VALUE})")
    long maxDimension;

    ImportOptions options(CommandLine.Model.CommandSpec spec) {
        try {
            ImportOptions options = ImportOptions.DEFAULTS.withMaxDimension(maxDimension);
            for (String d : dimensions) {
                options = options.withDimension(d);
            }
            return options;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
