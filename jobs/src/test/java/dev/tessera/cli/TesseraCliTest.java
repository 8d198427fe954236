package dev.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TesseraCliTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return TesseraCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void helpListsEveryRegisteredCommandOnStdout() {
        assertThat(run("--help")).isZero();
        for (Class<?> command : Commands.all()) {
            String name = command.getAnnotation(CommandLine.Command.class).name();
            assertThat(out.toString()).contains(name);
        }
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void everyCommandHasItsOwnHelp() {
        for (Class<?> command : Commands.all()) {
            String name = command.getAnnotation(CommandLine.Command.class).name();
            out.getBuffer().setLength(0);
            assertThat(run(name, "--help")).as(name).isZero();
            assertThat(out.toString()).as(name).contains("Usage:");
        }
    }

    @Test
    void versionIsTheCompilerVersion() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("tessera ").doesNotContain("${");
    }

    @Test
    void badUsageExitsTwoWithTheReasonOnStderr() {
        assertThat(run("no-such-command")).isEqualTo(2);
        assertThat(err.toString()).contains("no-such-command");
        assertThat(out.toString()).isEmpty();

        err.getBuffer().setLength(0);
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("a command is required");
    }
}
