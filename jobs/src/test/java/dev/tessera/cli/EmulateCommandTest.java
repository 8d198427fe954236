package dev.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmulateCommandTest {
    private static final String EXAMPLES = "../accel-emulator/examples/";
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return TesseraCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void printsTheReportOfATimingRun() {
        assertThat(run("emulate", EXAMPLES + "tiled_matmul.tasm")).isZero();
        assertThat(out.toString()).contains("program tiled_matmul on inferentia2 (timing only)")
                .contains("cycles of core (1.400 GHz)").contains("psum evictions  2 (524288 bytes)")
                .contains("dram->sbuf");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void functionalJsonIsDeterministicAndCarriesTheOutputs() {
        assertThat(run("emulate", EXAMPLES + "softmax.tasm", "--functional", "--json", "--seed", "5")).isZero();
        String first = out.toString();
        assertThat(first).startsWith("{\"program\":\"softmax\"").contains("\"mode\":\"functional\"")
                .contains("\"outputs\":{\"y\":{\"elements\":8192").contains("\"timeline\":[");
        out.getBuffer().setLength(0);
        assertThat(run("emulate", EXAMPLES + "softmax.tasm", "--functional", "--json", "--seed", "5")).isZero();
        assertThat(out.toString()).isEqualTo(first);
        out.getBuffer().setLength(0);
        assertThat(run("emulate", EXAMPLES + "softmax.tasm", "--json", "--no-timeline", "--spec", "inferentia1")).isZero();
        assertThat(out.toString()).contains("\"spec\":\"inferentia1\"").doesNotContain("timeline");
    }

    @Test
    void takesDataFromFiles(@TempDir Path dir) throws IOException {
        Path x = dir.resolve("x.txt");
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 128 * 512; i++) {
            values.append(i % 2 == 0 ? "-1.5 " : "2.5\n");
        }
        Files.writeString(x, values);
        assertThat(run("emulate", EXAMPLES + "relu.tasm", "--functional", "--data", "x=" + x)).isZero();
        assertThat(out.toString()).contains("output y: 65536 elements, sum 81920.0, min 0.0, max 2.5, first [0.0, 2.5,");
    }

    @Test
    void badInputFailsWithTheReasonOnStderr(@TempDir Path dir) throws IOException {
        assertThat(run("emulate", dir.resolve("missing.tasm").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("error: cannot read program file").contains("missing.tasm");

        Path bad = dir.resolve("bad.tasm");
        Files.writeString(bad, "program p\nsem s\n\nstream vector\n  wait s >=\n");
        err.getBuffer().setLength(0);
        assertThat(run("emulate", bad.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("error: line 5: expected an integer, found the end of the line");

        Path racy = dir.resolve("racy.tasm");
        Files.writeString(racy, Files.readString(Path.of(EXAMPLES + "relu.tasm")).replace("  wait loaded >= 1\n", ""));
        err.getBuffer().setLength(0);
        assertThat(run("emulate", racy.toString(), "--functional")).isEqualTo(1);
        assertThat(err.toString()).contains("error: race: scalar:0 (act.relu").contains("dma0:0");

        err.getBuffer().setLength(0);
        assertThat(run("emulate", EXAMPLES + "relu.tasm", "--spec", "inferentia7")).isEqualTo(1);
        assertThat(err.toString()).contains("no profile 'inferentia7'");
        assertThat(out.toString()).isEmpty();

        err.getBuffer().setLength(0);
        assertThat(run("emulate")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required parameter: '<program file>'");
    }
}
