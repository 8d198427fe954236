package dev.tessera.cli;

import java.util.List;
import picocli.CommandLine;

/**
 * The one place where the subcommands of {@code tessera} are registered, in the order
 * {@code tessera --help} lists them. A command is a picocli {@code @Command} class with a no-arg
 * constructor that implements {@code Callable<Integer>} (its exit code).
 */
final class Commands {
    private Commands() {}

    static List<Class<?>> all() {
        return List.of(
                CommandLine.HelpCommand.class,
                DemoCommand.class,
                SubmitCommand.class,
                WatchCommand.class,
                RunJobCommand.class,
                ImportCommand.class,
                LowerCommand.class,
                EmulateCommand.class,
                VerifyCommand.class,
                PolyCommand.class);
    }
}
