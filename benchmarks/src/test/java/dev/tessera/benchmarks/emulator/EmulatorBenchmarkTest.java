package dev.tessera.benchmarks.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The benchmark on a tiny pipeline: every case runs in its child JVM and the parent reports them all (no figure is checked). */
class EmulatorBenchmarkTest {
    @Test
    void everyCaseIsTimedInAChildJvmAndReported() throws Exception {
        String out = captured(() -> EmulatorBenchmark.main(new String[] {"8", "2"}));
        assertThat(out)
                .contains("functional matmul (64 x 128x128x512) vs triple loop")
                .contains("timing-only run of the prepared 123 instructions vs operand walk")
                .contains("timing-only, 123 instructions (emulated ")
                .contains("run of the prepared program", "preparation, once per program", "prepare + run (the object program)",
                        "parsing its text, 0 MB (context)", "goal >= 10 M instructions/s");
    }

    @Test
    void oneCaseInThisJvm() throws Exception {
        assertThat(captured(() -> EmulatorBenchmark.main(new String[] {"8", "2", "--case", "prepared"})))
                .containsPattern("(?m)^count instructions 123$")
                .containsPattern("(?m)^result prepared [0-9.]+ [0-9.]+ [0-9.]+ [0-9.]+$");
        assertThat(captured(() -> EmulatorBenchmark.main(new String[] {"--case", "walk", "8"})))
                .containsPattern("(?m)^result walk [0-9.]+ [0-9.]+ [0-9.]+ [0-9.]+$");
        assertThatThrownBy(() -> EmulatorBenchmark.main(new String[] {"8", "2", "--case", "nothing"}))
                .hasMessageContaining("unknown case nothing");
        assertThatThrownBy(() -> EmulatorBenchmark.main(new String[] {"8", "2", "--case"}))
                .hasMessageContaining("--case needs a case name");
        assertThatThrownBy(() -> EmulatorBenchmark.main(new String[] {"8", "2", "3"}))
                .hasMessageContaining("usage: EmulatorBenchmark [tiles [runs]] [--case NAME]");
    }

    private interface Body {
        void run() throws Exception;
    }

    private static String captured(Body body) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
