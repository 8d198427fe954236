package dev.tessera.operators.lowering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The loop-IR text parser: round trip, and errors that name the line and what is wrong. */
class LoopTextTest {
    private static final String PROGRAM = String.join("\n",
            "program \"t\" spec=\"inferentia2\" dtype=fp32",
            "buffer x dram fp32 [200] input \"x\"",
            "buffer x_sb sbuf fp32 [128, 1]",
            "",
            "stmt load kind=dma engine=dma op=copy tiles=1 node=\"n\"",
            "  domain   { load[t, i] : 0 <= t < 2 and 0 <= i < 128 and 128t + i < 200 }",
            "  schedule { load[t, i] -> [0, t, 0, i] }",
            "  write    x_sb { load[t, i] -> x_sb[i, 0] }",
            "  read     x { load[t, i] -> x[128t + i] }",
            "");

    @Test
    void roundTripsByteForByte() {
        assertEquals(PROGRAM, LoopText.print(LoopText.parse(PROGRAM)));
    }

    @Test
    void boundaryTilesAreExact() {
        assertEquals(200, Presburger.card(LoopText.parse(PROGRAM).statements().get(0).domain().isl("load")));
    }

    @Test
    void anUnknownIteratorIsAnErrorNamingTheLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoopText.parse(PROGRAM.replace("x[128t + i]", "x[128t + j]")));
        assertEquals("line 9: unknown variable 'j' at column 26 of: { load[t, i] -> x[128t + j] }", e.getMessage());
    }

    @Test
    void anIteratorWithoutBoundsIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoopText.parse(PROGRAM.replace(" and 0 <= i < 128 and 128t + i < 200", "")));
        assertEquals("line 6: iterator 'i' has no bounds 'lo <= i < hi' at column 28 of: { load[t, i] : 0 <= t < 2 }",
                e.getMessage());
    }
}
