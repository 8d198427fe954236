package dev.tessera.cli;

import dev.tessera.operators.CompilerVersion;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code tessera <command> …}: the entry point of {@code tessera-cli.jar} and of the {@code ./tessera}
 * launcher. Answers and tables go to stdout; logs and diagnostics go to stderr, so line protocols and
 * {@code --json} output stay machine-readable. The process exits with the command's exit code:
 * 0 success, 1 the command's own failure, 2 bad usage.
 */
@Command(
        name = "tessera",
        mixinStandardHelpOptions = true,
        versionProvider = TesseraCli.Version.class,
        description = "Compiles deep-learning models for a scratchpad accelerator (AWS Inferentia NeuronCore), "
                + "optimizes their memory traffic and proves it on an emulator.",
        synopsisSubcommandLabel = "<command>",
        footer = {"", "Run 'tessera <command> --help' for the options of a command."})
public final class TesseraCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line with the given streams and returns its exit code (what tests call). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new TesseraCli());
        for (Class<?> command : Commands.all()) {
            cli.addSubcommand(command);
        }
        cli.setExecutionExceptionHandler((ex, line, parsed) -> {
            line.getErr().println("error: " + describe(ex));
            return 1;
        });
        return cli;
    }

    private static String describe(Throwable ex) {
        String message = ex.getMessage();
        return message == null || message.isBlank() ? ex.getClass().getSimpleName() : message;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"tessera " + CompilerVersion.get()};
        }
    }
}
