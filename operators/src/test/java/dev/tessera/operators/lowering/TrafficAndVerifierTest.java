package dev.tessera.operators.lowering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.emulator.AcceleratorSpec;
import dev.tessera.operators.InternalCompilerError;
import dev.tessera.operators.graph.Graph;
import dev.tessera.operators.graph.zoo.Zoo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Baseline DRAM traffic counted exactly by the library equals a brute-force walk of the loops; the
 * loads of every input cover exactly its elements (padding is never read); and the verifier
 * rejects broken programs, naming the statement and the offending set.
 */
class TrafficAndVerifierTest {
    private static final AcceleratorSpec SPEC = AcceleratorSpec.builtIn("inferentia2");

    @Test
    void dramBytesPerOperatorEqualBruteForceEnumeration() {
        for (String model : List.of("conv-relu", "residual-block", "attention-block", "mlp")) {
            LoopProgram p = Lowering.lower(Zoo.build(model), SPEC, LoweringOptions.DEFAULTS);
            LoopSummary s = LoopSummary.of(p);
            for (Map.Entry<String, LoopSummary.Traffic> e : s.loadsPerNode().entrySet()) {
                long[] walked = new long[1];
                for (Statement st : p.statements()) {
                    if (st.node().equals(e.getKey()) && st.kind() == StatementKind.DMA
                            && p.buffer(st.write().buffer()).space() != MemorySpace.DRAM) {
                        int bytes = p.buffer(st.write().buffer()).type().bytes();
                        st.domain().forEachPoint(pt -> walked[0] += bytes);
                    }
                }
                assertEquals(walked[0], e.getValue().bytes(), model + " node " + e.getKey() + " load bytes");
            }
        }
    }

    @Test
    void loadsOfAConvInputCoverExactlyItsElements() {
        LoopProgram p = Lowering.lower(Zoo.build("conv-relu"), SPEC, LoweringOptions.DEFAULTS);
        Statement load = statement(p, "conv_load_x");
        String image = Presburger.range(load.reads().get(0).isl(load.name(), load.domain()));
        assertEquals(3L * 32 * 32, Presburger.card(image), "the padded 3x3 conv loads every input element, no pad");
    }

    @Test
    void verifierRejectsAnAccessOutsideItsBuffer() {
        LoopProgram p = Lowering.lower(Zoo.build("conv-relu"), SPEC, LoweringOptions.DEFAULTS);
        LoopProgram broken = replace(p, "relu_store", s -> {
            List<Expr> idx = new ArrayList<>(s.write().indices());
            idx.set(3, idx.get(3).plus(1));
            return new Statement(s.name(), s.kind(), s.engine(), s.op(), s.tiles(), s.node(), s.domain(), s.schedule(),
                    Access.of(s.write().buffer(), idx), s.reads());
        });
        InternalCompilerError e = assertThrows(InternalCompilerError.class, () -> LoopVerifier.verify(broken, SPEC));
        assertTrue(e.getMessage().startsWith("loop IR verification failed: statement relu_store accesses relu"),
                e.getMessage());
        assertTrue(e.getMessage().contains("relu_store["), "names the offending set: " + e.getMessage());
    }

    @Test
    void verifierRejectsAnOnChipReadWithoutAWrite() {
        LoopProgram p = Lowering.lower(Zoo.build("conv-relu"), SPEC, LoweringOptions.DEFAULTS);
        LoopProgram broken = drop(p, "conv_zero");
        InternalCompilerError e = assertThrows(InternalCompilerError.class, () -> LoopVerifier.verify(broken, SPEC));
        assertTrue(e.getMessage().startsWith("loop IR verification failed: statement conv_mm reads elements of on-chip"
                + " buffer conv_acc that no earlier statement wrote: "), e.getMessage());
        assertTrue(e.getMessage().contains("conv_mm["), "names the reading statement: " + e.getMessage());
    }

    @Test
    void verifierRejectsATileOverThePartitionCount() {
        LoopProgram p = Lowering.lower(Zoo.build("mlp"), SPEC, LoweringOptions.DEFAULTS);
        List<Buffer> buffers = new ArrayList<>();
        for (Buffer b : p.buffers()) {
            buffers.add(b.name().equals("fc1_b") ? new Buffer(b.name(), b.space(), b.type(), List.of(256L, 256L), "", null)
                    : b);
        }
        LoopProgram broken = new LoopProgram(p.model(), p.spec(), p.dtype(), buffers, p.statements());
        InternalCompilerError e = assertThrows(InternalCompilerError.class, () -> LoopVerifier.verify(broken, SPEC));
        assertEquals("loop IR verification failed: buffer fc1_b spans 256 partitions, more than the 128 of inferentia2:"
                + " { fc1_b[e0, e1] : 0 <= e0 < 256 and 0 <= e1 < 256 }", e.getMessage());
    }

    @Test
    void loweringIsDeterministic() {
        Graph g = Zoo.build("attention-block");
        assertEquals(LoopText.print(Lowering.lower(g, SPEC, LoweringOptions.DEFAULTS)),
                LoopText.print(Lowering.lower(Zoo.build("attention-block"), SPEC, LoweringOptions.DEFAULTS)));
    }

    private static Statement statement(LoopProgram p, String name) {
        return p.statements().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private static LoopProgram replace(LoopProgram p, String name, java.util.function.UnaryOperator<Statement> f) {
        List<Statement> out = new ArrayList<>();
        for (Statement s : p.statements()) {
            out.add(s.name().equals(name) ? f.apply(s) : s);
        }
        return new LoopProgram(p.model(), p.spec(), p.dtype(), p.buffers(), out);
    }

    private static LoopProgram drop(LoopProgram p, String name) {
        List<Statement> out = new ArrayList<>(p.statements());
        assertTrue(out.removeIf(s -> s.name().equals(name)));
        return new LoopProgram(p.model(), p.spec(), p.dtype(), p.buffers(), out);
    }
}
