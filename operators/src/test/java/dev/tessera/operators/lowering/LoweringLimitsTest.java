package dev.tessera.operators.lowering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tessera.emulator.AcceleratorSpec;
import dev.tessera.operators.InvalidModelException;
import dev.tessera.operators.graph.Graph;
import dev.tessera.operators.graph.GraphLimits;
import dev.tessera.operators.graph.GraphText;
import dev.tessera.operators.graph.GraphValidator;
import org.junit.jupiter.api.Test;

/** The documented limits of the lowering: each is a user error naming the node and what is over the limit. */
class LoweringLimitsTest {
    private static final AcceleratorSpec SPEC = AcceleratorSpec.builtIn("inferentia2");

    private static Graph resize(String shape, String attributes) {
        return GraphValidator.validate(GraphText.parse("graph \"g\"\n"
                + "tensor \"x\" float32 input " + shape + "\n"
                + "tensor \"y\" float32 output ?\n"
                + "node \"up\" Resize (\"x\") -> (\"y\") " + attributes + "\n"), GraphLimits.DEFAULTS);
    }

    /**
     * 128² → 256² in fp32 needs 704 KiB per partition whole, so the output is cut into four blocks
     * of 64 rows (input 34 × 128, stages 64 × 128 and 64 × 256, output 64 × 256: 177 KiB). Half-pixel
     * taps of output rows 0–63 read input rows 0–32, 64–127 rows 31–64, 128–191 rows 63–96 and
     * 192–255 rows 95–127: 33 + 34 + 34 + 33 = 134 rows of 128 floats are loaded; the output is
     * stored once.
     */
    @Test
    void aLinearResizeWhosePlanesDoNotFitAPartitionIsLoweredInOutputBlocks() {
        Graph g = resize("[1, 1, 128, 128]", "mode=\"linear\" scales=floats[1.0, 1.0, 2.0, 2.0]");
        LoopSummary s = LoopSummary.of(Lowering.lower(g, SPEC, LoweringOptions.DEFAULTS));
        assertEquals(134L * 128 * 4, s.loads().bytes(), "each block loads its input halo");
        assertEquals(256L * 256 * 4, s.stores().bytes(), "the output is stored once");
    }

    /** 1024² → 2048² would need 256 blocks of 8 rows: more than lowering unrolls (64). */
    @Test
    void aResizeNeedingTooManyOutputBlocksIsRejected() {
        Graph g = resize("[1, 1, 1024, 1024]", "mode=\"linear\" scales=floats[1.0, 1.0, 2.0, 2.0]");
        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> Lowering.lower(g, SPEC, LoweringOptions.DEFAULTS));
        assertEquals("node 'up' (Resize): the resized extents do not fit a partition's 196608 bytes in 64 output"
                + " blocks or fewer, the most lowering unrolls", e.getMessage());
    }

    @Test
    void antialiasOnADownscaledAxisIsRejected() {
        Graph g = resize("[1, 1, 8, 8]", "antialias=1 mode=\"linear\" scales=floats[1.0, 1.0, 0.5, 1.0]");
        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> Lowering.lower(g, SPEC, LoweringOptions.DEFAULTS));
        assertEquals("node 'up' (Resize): antialias on the downscaled axis 2 (8 -> 4) is not supported by lowering",
                e.getMessage());
    }

    @Test
    void antialiasIsHarmlessWhenUpscaling() {
        Graph g = resize("[1, 1, 4, 4]", "antialias=1 mode=\"linear\" scales=floats[1.0, 1.0, 2.0, 2.0]");
        assertEquals(16 * 4L, LoopSummary.of(Lowering.lower(g, SPEC, LoweringOptions.DEFAULTS)).loads().bytes(),
                "the input is loaded once");
    }

    /**
     * A reduced row of 2^32 · 2^32 · 4 elements has no long length: rejected by name, not wrapped to
     * 0 (which would have planned the row as fitting in SBUF). Only graphs validated with limits
     * beyond the defaults reach the lowering with such a shape.
     */
    @Test
    void aReducedRowLongerThanALongIsRejected() {
        Graph g = GraphValidator.validate(GraphText.parse("graph \"g\"\n"
                + "tensor \"x\" float32 input [4294967296, 4294967296, 4]\n"
                + "tensor \"y\" float32 output ?\n"
                + "node \"sum\" ReduceMean (\"x\") -> (\"y\")\n"),
                new GraphLimits(20_000, Long.MAX_VALUE, 8, Long.MAX_VALUE));
        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> Lowering.lower(g, SPEC, LoweringOptions.DEFAULTS));
        assertEquals("node 'sum' (ReduceMean): a reduced row of [4294967296, 4294967296, 4] elements has more than "
                + Long.MAX_VALUE + " elements", e.getMessage());
    }
}
