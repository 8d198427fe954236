package dev.tessera.operators.lowering;

import dev.tessera.emulator.AcceleratorSpec;
import dev.tessera.operators.InternalCompilerError;
import java.util.ArrayList;
import java.util.HashMap;
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
 *       {@code maxMovingFree()} elements per partition; engine accesses start at allowed
 *       partitions and DMA access patterns stay within the spec's rank ({@link InstructionRules});
 *   <li><b>bounded domains</b> (every iterator's bounds are expressions of the earlier ones, so
 *       finite intervals for all of them, which {@link DomainBounds} computes, are the proof; the
 *       library decides only when that arithmetic overflows);
 *   <li><b>accesses inside their buffers</b>: {@code access \ (domain × box) = ∅}, exactly;
 *   <li><b>on-chip reads have a source</b>, over the whole program: every SBUF/PSUM element a
 *       statement reads was written by an earlier statement under the common schedule
 *       ({@link OnChipSources}).
 * </ol>
 *
 * <p>Cost: every check first tries a proof from the statement's own domain ({@link DomainBounds}:
 * interval bounds, a witness for a read's source) and asks the Presburger library's exact question
 * only where that proof does not go through, so the answer is the exact one and the library sees a
 * small remainder. Exact questions are answered once per distinct question text within a run:
 * structurally identical statements (convolutions of the same shape) share the answer.
 */
public final class LoopVerifier {
    private LoopVerifier() {}

    /**
     * The exact Presburger questions one verification asked: {@code accesses} "inside its buffer"
     * questions and {@code sources} must-no-source questions (each asked once however many
     * statements or buffers posed it). Everything else was proved from domain bounds.
     */
    public record Questions(int accesses, int sources) {}

    /** Verifies {@code p}; returns what it had to ask the library. */
    public static Questions verify(LoopProgram p, AcceleratorSpec spec) {
        return run(p, spec, true);
    }

    /**
     * The same checks with every domain, access and on-chip read put to its exact Presburger
     * question: no proof from bounds, no witnesses, no shared answers (the spec rules, which ask the
     * library nothing, run as in {@link #verify}). The reference {@link #verify} is tested and
     * measured against: the same verdicts, far slower.
     */
    public static Questions verifyExactly(LoopProgram p, AcceleratorSpec spec) {
        return run(p, spec, false);
    }

    private static Questions run(LoopProgram p, AcceleratorSpec spec, boolean shortcuts) {
        Map<String, Buffer> buffers = new LinkedHashMap<>();
        for (Buffer b : p.buffers()) {
            buffers.put(b.name(), b);
            checkBuffer(b, spec);
        }
        Map<String, List<Statement>> byNode = new LinkedHashMap<>();
        Map<String, DomainBounds> bounds = new HashMap<>();
        Map<String, Boolean> insideAnswers = new HashMap<>();
        int accesses = 0;
        for (Statement s : p.statements()) {
            accesses += s.accesses().size();
            byNode.computeIfAbsent(s.node(), k -> new ArrayList<>()).add(s);
            DomainBounds b = DomainBounds.of(s.domain());
            bounds.put(s.name(), b);
            checkStatement(s, b, buffers, spec, shortcuts ? insideAnswers : null);
            InstructionRules.checkPartitionStarts(s, buffers, b, spec);
            InstructionRules.checkDmaRank(s, buffers, b, spec);
        }
        for (Map.Entry<String, List<Statement>> e : byNode.entrySet()) {
            checkOperatorSbuf(e.getKey(), e.getValue(), buffers, spec);
        }
        int sources = OnChipSources.check(p, buffers, shortcuts ? bounds : null);
        return new Questions(shortcuts ? insideAnswers.size() : accesses, sources);
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

    /** Domain and access checks; {@code insideAnswers} null asks every question of the library. */
    private static void checkStatement(Statement s, DomainBounds bounds, Map<String, Buffer> buffers,
            AcceleratorSpec spec, Map<String, Boolean> insideAnswers) {
        boolean shortcuts = insideAnswers != null;
        if (!(shortcuts && bounds.provesBounded()) && !Presburger.isBounded(s.domain().isl(s.name()))) {
            throw fail("statement " + s.name(), "has an unbounded domain", s.domain().isl(s.name()));
        }
        for (Access a : s.accesses()) {
            Buffer b = buffers.get(a.buffer());
            boolean inside = shortcuts ? provedInside(s, a, b, bounds) || isInside(s, a, b, insideAnswers)
                    : outside(s.name(), s, a, b).isEmpty();
            if (!inside) {
                throw fail("statement " + s.name(), "accesses " + b.name() + " " + b.shape() + " outside its bounds",
                        outside(s.name(), s, a, b));
            }
        }
        if (s.kind() == StatementKind.MATMUL) {
            Buffer out = buffers.get(s.write().buffer());
            if (out.space() != MemorySpace.PSUM) {
                throw fail("statement " + s.name(), "is a matmul writing " + out.space().text() + " buffer "
                        + out.name() + "; matmuls write PSUM", s.domain().isl(s.name()));
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

    /** Whether {@code a}'s every index provably lies in its dimension of {@code b}. */
    private static boolean provedInside(Statement s, Access a, Buffer b, DomainBounds bounds) {
        DomainBounds db = a.may() ? DomainBounds.of(s.domain(), a.dataDependent()) : bounds;
        for (int j = 0; j < b.shape().size(); j++) {
            if (!db.proves(a.indices().get(j), 0, b.shape().get(j) - 1)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The exact test {@code access \ (domain × box) = ∅}, asked once per distinct question: the
     * statement is renamed {@code S} and the buffer {@code B}, so statements that differ only in
     * their names share it.
     */
    private static boolean isInside(Statement s, Access a, Buffer b, Map<String, Boolean> answers) {
        Access renamed = new Access("B", a.indices(), a.dataDependent(), a.may());
        Buffer box = new Buffer("B", b.space(), b.type(), b.shape(), b.tensor(), b.role());
        return answers.computeIfAbsent(renamed.isl("S", s.domain()) + " in " + b.shape(),
                k -> outside("S", s, renamed, box).isEmpty());
    }

    /** {@code access \ (domain × box)} in isl text, {@code ""} when empty. */
    private static String outside(String name, Statement s, Access a, Buffer b) {
        String rel = a.isl(name, s.domain());
        String box = "{ " + s.domain().tuple(name) + " -> " + b.islBox(s.domain().names()).substring(2);
        return Presburger.difference(rel, box);
    }

    static InternalCompilerError fail(String where, String what, String set) {
        return new InternalCompilerError("loop IR verification failed: " + where + " " + what + ": " + set);
    }
}
