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

    /**
     * The data-movement figures of the families' cases with new element types and split rows: bool
     * and int8 move one byte an element, MaxPool's int64 indices eight, and a split softmax row
     * loads X once per pass (three times) and stores Y once; each load's read footprint, counted
     * on its access relation, equals its instances (no element of a pass loaded twice).
     */
    @Test
    void narrowTypesIndicesAndSplitRowsMoveTheirExactBytes() throws java.io.IOException {
        Map<String, LoopProgram> cases = goldenCases();
        LoopSummary narrow = LoopSummary.of(cases.get("narrow-types"));
        assertEquals(new LoopSummary.Traffic(2, 9), narrow.offChipCopies(), "bool concat: 6 + 3 one-byte elements");
        assertEquals(12, narrow.loadsPerNode().get("max").bytes(), "int8 max loads two 6-byte inputs");
        assertEquals(6, narrow.storesPerNode().get("max").bytes());
        LoopSummary pool = LoopSummary.of(cases.get("maxpool-indices"));
        assertEquals(8 * 4 + 8 * 8, pool.storesPerNode().get("pool").bytes(), "fp32 values and int64 indices");
        assertEquals(32 * 4, pool.loadsPerNode().get("pool").bytes());
        LoopSummary softmax = LoopSummary.of(cases.get("softmax-split"));
        assertEquals(3L * 40000 * 4, softmax.loadsPerNode().get("softmax").bytes());
        assertEquals(40000L * 4, softmax.storesPerNode().get("softmax").bytes());
        for (String name : List.of("softmax-split", "gap-split", "maxpool-indices", "narrow-types")) {
            LoopProgram p = cases.get(name);
            for (Statement st : p.statements()) {
                if (st.kind() == StatementKind.DMA && p.buffer(st.write().buffer()).space() != MemorySpace.DRAM
                        && !st.reads().get(0).may()) {
                    String footprint = Presburger.range(st.reads().get(0).isl(st.name(), st.domain()));
                    assertEquals(Presburger.card(st.domain().isl(st.name())), Presburger.card(footprint),
                            p.model() + ": " + st.name() + " loads each element of its footprint once");
                }
            }
        }
    }

    /** Every case of the families' golden file: load and store bytes per node equal a walk of the loops. */
    @Test
    void dramBytesOfEveryFamilyEqualBruteForceEnumeration() throws java.io.IOException {
        for (LoopProgram p : goldenCases().values()) {
            LoopSummary s = LoopSummary.of(p);
            Map<String, Long> loads = new java.util.TreeMap<>();
            Map<String, Long> stores = new java.util.TreeMap<>();
            for (Statement st : p.statements()) {
                if (st.kind() != StatementKind.DMA) {
                    continue;
                }
                Buffer out = p.buffer(st.write().buffer());
                long[] walked = new long[1];
                st.domain().forEachPoint(pt -> walked[0] += out.type().bytes());
                (out.space() == MemorySpace.DRAM ? stores : loads).merge(st.node(), walked[0], Long::sum);
            }
            for (Map.Entry<String, Long> e : loads.entrySet()) {
                assertEquals(e.getValue(), s.loadsPerNode().get(e.getKey()).bytes(), p.model() + " loads of " + e.getKey());
            }
            for (Map.Entry<String, Long> e : stores.entrySet()) {
                assertEquals(e.getValue(), s.storesPerNode().get(e.getKey()).bytes(), p.model() + " stores of " + e.getKey());
            }
        }
    }

    /** The graphs of {@code families.lir}, lowered, by program name. */
    private static Map<String, LoopProgram> goldenCases() throws java.io.IOException {
        String text = java.nio.file.Files.readString(java.nio.file.Path.of("src/test/resources/lowering/families.lir"));
        Map<String, LoopProgram> out = new java.util.LinkedHashMap<>();
        for (String c : text.split("// -----\n", -1)) {
            String graph = c.substring(0, c.indexOf("// expect:\n")).lines().filter(l -> !l.startsWith("//"))
                    .reduce("", (a, b) -> a + b + "\n");
            LoopProgram p = Lowering.lower(dev.tessera.operators.graph.GraphValidator.validate(
                    dev.tessera.operators.graph.GraphText.parse(graph), dev.tessera.operators.graph.GraphLimits.DEFAULTS),
                    SPEC, LoweringOptions.DEFAULTS);
            out.put(p.model(), p);
        }
        return out;
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
