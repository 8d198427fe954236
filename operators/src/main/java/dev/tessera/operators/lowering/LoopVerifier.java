package dev.tessera.operators.lowering;

import dev.tessera.emulator.AcceleratorSpec;
import dev.tessera.operators.InternalCompilerError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the invariants every loop-IR program must keep; run after lowering and after every later
 * pass. A violation is an {@link InternalCompilerError} naming the statement (or buffer) and the
 * offending set in isl text.
 *
 * <ol>
 *   <li><b>spec limits</b>: an SBUF or PSUM tile spans at most {@code partitions()} partitions; an
 *       SBUF tile's free part fits a partition, and so do all SBUF tiles of one operator together;
 *       a PSUM tile fits one bank; a matmul reads operands of at most {@code maxContraction()}
 *       partitions and writes a PSUM tile of at most {@code maxStationaryFree()} partitions and
 *       {@code maxMovingFree()} elements per partition;
 *   <li><b>bounded domains</b> (the library's {@code is_bounded});
 *   <li><b>accesses inside their buffers</b>: {@code access \ (domain × box) = ∅}, exactly;
 *   <li><b>on-chip reads have a source</b>: per operator (on-chip buffers never outlive their
 *       operator in the baseline), isl's must-no-source set of the SBUF/PSUM reads under the
 *       schedule and must writes is empty — every element read was written earlier.
 * </ol>
 */
public final class LoopVerifier {
    private LoopVerifier() {}

    public static void verify(LoopProgram p, AcceleratorSpec spec) {
        Map<String, Buffer> buffers = new LinkedHashMap<>();
        for (Buffer b : p.buffers()) {
            buffers.put(b.name(), b);
            checkBuffer(b, spec);
        }
        Map<String, List<Statement>> byNode = new LinkedHashMap<>();
        for (Statement s : p.statements()) {
            byNode.computeIfAbsent(s.node(), k -> new ArrayList<>()).add(s);
            checkStatement(s, buffers, spec);
        }
        int dims = p.scheduleDims();
        for (Map.Entry<String, List<Statement>> e : byNode.entrySet()) {
            checkOperatorSbuf(e.getKey(), e.getValue(), buffers, spec);
            checkOnChipSources(e.getKey(), e.getValue(), buffers, dims);
        }
    }

    private static void checkBuffer(Buffer b, AcceleratorSpec spec) {
        if (b.space() == MemorySpace.DRAM) {
            return;
        }
        if (b.shape().get(0) > spec.partitions()) {
            throw fail("buffer " + b.name(), "spans " + b.shape().get(0) + " partitions, more than the "
                    + spec.partitions() + " of " + spec.name(), b.islBox());
        }
        long limit = b.space() == MemorySpace.SBUF ? spec.sbufBytesPerPartition() : spec.psumBankBytes();
        if (b.bytesPerPartition() > limit) {
            throw fail("buffer " + b.name(), "holds " + b.bytesPerPartition() + " bytes per partition, more than the "
                    + limit + " of " + (b.space() == MemorySpace.SBUF ? "an SBUF partition" : "a PSUM bank"), b.islBox());
        }
    }

    private static void checkStatement(Statement s, Map<String, Buffer> buffers, AcceleratorSpec spec) {
        String domain = s.domain().isl(s.name());
        if (!Presburger.isBounded(domain)) {
            throw fail("statement " + s.name(), "has an unbounded domain", domain);
        }
        for (Access a : s.accesses()) {
            Buffer b = buffers.get(a.buffer());
            String rel = a.isl(s.name(), s.domain());
            String box = "{ " + s.domain().tuple(s.name()) + " -> " + b.islBox(s.domain().names()).substring(2);
            String outside = Presburger.difference(rel, box);
            if (!outside.isEmpty()) {
                throw fail("statement " + s.name(), "accesses " + b.name() + " " + b.shape() + " outside its bounds",
                        outside);
            }
        }
        if (s.kind() == StatementKind.MATMUL) {
            Buffer out = buffers.get(s.write().buffer());
            if (out.space() != MemorySpace.PSUM) {
                throw fail("statement " + s.name(), "is a matmul writing " + out.space().text() + " buffer "
                        + out.name() + "; matmuls write PSUM", domain);
            }
            long free = out.elements() / out.shape().get(0);
            if (out.shape().get(0) > spec.maxStationaryFree() || free > spec.maxMovingFree()) {
                throw fail("statement " + s.name(), "writes a " + out.shape() + " PSUM tile; a matmul result is at most "
                        + spec.maxStationaryFree() + " partitions by " + spec.maxMovingFree(), out.islBox());
            }
            for (int i = 0; i < 2; i++) {
                Buffer in = buffers.get(s.reads().get(i).buffer());
                if (in.space() != MemorySpace.SBUF || in.shape().get(0) > spec.maxContraction()) {
                    throw fail("statement " + s.name(), "reads operand " + in.name() + " " + in.shape() + " in "
                            + in.space().text() + "; matmul operands lie in SBUF on at most " + spec.maxContraction()
                            + " partitions", in.islBox());
                }
            }
        }
    }

    private static void checkOperatorSbuf(String node, List<Statement> statements, Map<String, Buffer> buffers,
            AcceleratorSpec spec) {
        long total = 0;
        for (String name : onChip(statements, buffers, MemorySpace.SBUF)) {
            total += buffers.get(name).bytesPerPartition();
        }
        if (total > spec.sbufBytesPerPartition()) {
            throw fail("node '" + node + "'", "uses " + total + " SBUF bytes per partition, more than the "
                    + spec.sbufBytesPerPartition() + " available", onChip(statements, buffers, MemorySpace.SBUF).toString());
        }
    }

    private static Set<String> onChip(List<Statement> statements, Map<String, Buffer> buffers, MemorySpace space) {
        Set<String> out = new LinkedHashSet<>();
        for (Statement s : statements) {
            for (Access a : s.accesses()) {
                if (buffers.get(a.buffer()).space() == space) {
                    out.add(a.buffer());
                }
            }
        }
        return out;
    }

    private static void checkOnChipSources(String node, List<Statement> statements, Map<String, Buffer> buffers,
            int dims) {
        List<String> schedule = new ArrayList<>();
        List<String> writes = new ArrayList<>();
        List<String> reads = new ArrayList<>();
        for (Statement s : statements) {
            schedule.add(body(s.scheduleIsl(dims)));
            if (buffers.get(s.write().buffer()).space() != MemorySpace.DRAM) {
                writes.add(body(s.write().isl(s.name(), s.domain())));
            }
            for (Access a : s.reads()) {
                if (buffers.get(a.buffer()).space() != MemorySpace.DRAM) {
                    reads.add(body(a.isl(s.name(), s.domain())));
                }
            }
        }
        if (reads.isEmpty()) {
            return;
        }
        String missing = Presburger.readsWithoutSource(union(schedule), union(writes), union(reads));
        if (!missing.isEmpty()) {
            throw fail("node '" + node + "'", "reads on-chip elements no earlier statement wrote", missing);
        }
    }

    private static String body(String isl) {
        return isl.substring(2, isl.length() - 2);
    }

    private static String union(List<String> parts) {
        return "{ " + String.join("; ", parts) + " }";
    }

    private static InternalCompilerError fail(String where, String what, String set) {
        return new InternalCompilerError("loop IR verification failed: " + where + " " + what + ": " + set);
    }
}
