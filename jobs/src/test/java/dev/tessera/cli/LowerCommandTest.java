package dev.tessera.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code tessera lower}: summary on stdout, errors on stderr with exit codes 1 and 2. */
class LowerCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return TesseraCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void jsonSummaryOfAZooModel() {
        assertEquals(0, run("lower", "mlp", "--json"));
        assertTrue(out.toString().startsWith("{\"model\":\"mlp\",\"spec\":\"inferentia2\",\"dtype\":\"fp32\","), out.toString());
        assertTrue(out.toString().contains("\"macs\":234752,"), out.toString());
    }

    @Test
    void printsTheLoopIr() {
        assertEquals(0, run("lower", "conv-relu", "--dtype", "bf16"));
        assertTrue(out.toString().startsWith("program \"conv-relu\" spec=\"inferentia2\" dtype=bf16\n"), out.toString());
    }

    @Test
    void unknownModelIsBadUsage() {
        assertEquals(2, run("lower", "nosuch"));
        assertTrue(err.toString().startsWith("error: unknown zoo model 'nosuch'"), err.toString());
    }

    @Test
    void unknownSpecIsBadUsage() {
        assertEquals(2, run("lower", "mlp", "--spec", "nosuch"));
        assertTrue(err.toString().contains("no profile 'nosuch'"), err.toString());
    }
}
