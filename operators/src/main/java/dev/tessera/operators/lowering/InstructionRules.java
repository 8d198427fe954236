package dev.tessera.operators.lowering;

import dev.tessera.emulator.AcceleratorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The spec's rules on the accesses of one instruction, the numbers the emulator enforces (its
 * {@link AcceleratorSpec} queries). An instruction is one point of a statement's first
 * {@code tiles} iterators; the other iterators (and a may-access's data-dependent indices) run
 * inside it.
 *
 * <ul>
 *   <li><b>partition starts</b>: an engine instruction (tensor, vector, scalar) reading or writing
 *       an SBUF/PSUM buffer touches partitions {@code [start, start + n)}, contiguous, with
 *       {@link AcceleratorSpec#isPartitionStartAllowed(int, int)}; partitions are counted from the
 *       buffer's first (the memory plan places buffers at allowed starts).
 *   <li><b>DMA access-pattern rank</b>: a DMA instruction (kinds dma and copy) is one descriptor
 *       whose dimensions are its inner iterators that take more than one value; on an SBUF/PSUM
 *       side the iterators of the partition index are the partitions and the rest must number at
 *       most {@link AcceleratorSpec#maxFreeDims()}; on a DRAM side all count, at most
 *       {@link AcceleratorSpec#maxDramDims()}.
 * </ul>
 *
 * <p>Partition ranges are proved from the domain when the partition index is a constant, an
 * expression of the tile iterators only, or {@code v + k} for an inner iterator {@code v} with a
 * constant lower bound {@code L} that every constraint only bounds from above (then every
 * instruction uses {@code [L + k, L + k + n)} for some {@code n} up to {@code v}'s range, and each
 * such {@code n} is checked). Anything else is decided by enumerating the statement's instances,
 * up to {@link #ENUMERATION_LIMIT} of them; a larger statement of that shape is reported as
 * unverifiable rather than passed.
 */
final class InstructionRules {
    /** Instances the partition rule enumerates at most when it cannot prove the rule from the domain. */
    static final long ENUMERATION_LIMIT = 1L << 22;

    private InstructionRules() {}

    static void checkPartitionStarts(Statement s, Map<String, Buffer> buffers, DomainBounds bounds,
            AcceleratorSpec spec) {
        if (s.engine() == Engine.DMA) {
            return;
        }
        for (Access a : s.accesses()) {
            Buffer b = buffers.get(a.buffer());
            if (b.space() == MemorySpace.DRAM || a.may()) {
                continue;
            }
            Expr p = a.indices().get(0);
            if (!provedByDomain(s, p, bounds, spec)) {
                enumerate(s, a, spec);
            }
        }
    }

    static void checkDmaRank(Statement s, Map<String, Buffer> buffers, DomainBounds bounds, AcceleratorSpec spec) {
        if (s.engine() != Engine.DMA) {
            return;
        }
        List<Iterator> inner = new ArrayList<>(s.domain().iterators().subList(s.tiles(), s.domain().dims()));
        for (Access a : s.accesses()) {
            Buffer b = buffers.get(a.buffer());
            boolean onChip = b.space() != MemorySpace.DRAM;
            List<Iterator> loops = new ArrayList<>(inner);
            loops.addAll(a.dataDependent());
            DomainBounds db = a.may() ? DomainBounds.of(s.domain(), a.dataDependent()) : bounds;
            List<String> partitionVars = onChip ? a.indices().get(0).variables() : List.of();
            List<String> dims = new ArrayList<>();
            for (Iterator it : loops) {
                if (!partitionVars.contains(it.name()) && !db.proves(Expr.var(it.name()).minus(it.lower()), 0, 0)) {
                    dims.add(it.name());
                }
            }
            int limit = onChip ? spec.maxFreeDims() : spec.maxDramDims();
            if (dims.size() > limit) {
                throw LoopVerifier.fail("statement " + s.name(), "moves " + b.space().text() + " buffer " + b.name()
                        + " with a " + dims.size() + "-dimensional access pattern " + dims + (onChip ? " besides the partitions" : "")
                        + "; " + spec.name() + " allows " + limit, a.isl(s.name(), s.domain()));
            }
        }
    }

    private static boolean provedByDomain(Statement s, Expr p, DomainBounds bounds, AcceleratorSpec spec) {
        List<String> tileNames = s.domain().names().subList(0, s.tiles());
        if (bounds.provesEmpty()) {
            return true;
        }
        if (tileNames.containsAll(p.variables())) {
            long[] r = bounds.bounds(p);
            if (r == null || r[1] - r[0] >= spec.partitions()) {
                return false;
            }
            for (long start = r[0]; start <= r[1]; start++) {
                if (!allowed(start, 1, spec)) {
                    return false;
                }
            }
            return true;
        }
        Expr offset = Expr.constant(p.constantTerm());
        List<String> vars = p.minus(offset).variables();
        if (vars.size() != 1 || !p.minus(offset).equals(Expr.var(vars.get(0)))) {
            return false;
        }
        int index = s.domain().names().indexOf(vars.get(0));
        if (index < s.tiles()) {
            return false;
        }
        Iterator v = s.domain().iterators().get(index);
        long[] r = bounds.bounds(p);
        if (!v.lower().isConstant() || !onlyBoundedAbove(s.domain(), index) || r == null) {
            return false;
        }
        long start = v.lower().constantTerm() + p.constantTerm();
        for (long n = 1; n <= r[1] - start + 1; n++) {
            if (!allowed(start, n, spec)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether lowering iterator {@code index} to its lower bound keeps any point of the domain in
     * it: every constraint and every later iterator's bounds loosen (or stay) as it decreases,
     * and it appears in no floor.
     */
    private static boolean onlyBoundedAbove(Domain d, int index) {
        String v = d.names().get(index);
        for (Constraint c : d.constraints()) {
            Expr diff = c.lhs().minus(c.rhs());
            if (c.relation() == Constraint.Relation.EQ ? diff.variables().contains(v) : !growsWith(diff, v)) {
                return false;
            }
        }
        for (Iterator later : d.iterators().subList(index + 1, d.dims())) {
            if (!growsWith(later.lower(), v) || !growsWith(later.upper().times(-1), v)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code e} is non-decreasing in {@code v}: a non-negative coefficient and no floor reading it. */
    private static boolean growsWith(Expr e, String v) {
        for (Map.Entry<Expr.Atom, Long> t : e.terms().entrySet()) {
            if (t.getKey() instanceof Expr.Var var) {
                if (var.name().equals(v) && t.getValue() < 0) {
                    return false;
                }
            } else if (((Expr.FloorDiv) t.getKey()).numerator().variables().contains(v)) {
                return false;
            }
        }
        return true;
    }

    /** Checks every instruction of {@code s} by walking its instances: partitions contiguous and starting where allowed. */
    private static void enumerate(Statement s, Access a, AcceleratorSpec spec) {
        long size = 1;
        DomainBounds box = DomainBounds.of(new Domain(s.domain().iterators(), List.of()));
        for (Iterator it : s.domain().iterators()) {
            long[] r = box.bounds(Expr.var(it.name()));
            size = r == null ? Long.MAX_VALUE : multiplySaturated(size, r[1] - r[0] + 1);
        }
        if (size > ENUMERATION_LIMIT) {
            throw LoopVerifier.fail("statement " + s.name(), "has a partition index " + a.indices().get(0)
                    + " the verifier can check only by enumeration, over more than " + ENUMERATION_LIMIT + " instances",
                    a.isl(s.name(), s.domain()));
        }
        List<String> names = s.domain().names();
        Expr p = a.indices().get(0);
        Map<List<Long>, TreeSet<Long>> perInstruction = new TreeMap<>(InstructionRules::compareLex);
        s.domain().forEachPoint(pt -> {
            List<Long> key = new ArrayList<>();
            for (int i = 0; i < s.tiles(); i++) {
                key.add(pt[i]);
            }
            perInstruction.computeIfAbsent(key, k -> new TreeSet<>()).add(p.eval(names, pt));
        });
        List<String> tiles = names.subList(0, s.tiles());
        for (Map.Entry<List<Long>, TreeSet<Long>> e : perInstruction.entrySet()) {
            long first = e.getValue().first();
            long last = e.getValue().last();
            long n = last - first + 1;
            String which = tiles.isEmpty() ? "its instruction" : "instruction " + tiles + " = " + e.getKey();
            if (n != e.getValue().size()) {
                throw LoopVerifier.fail("statement " + s.name(), which + " accesses " + e.getValue().size()
                        + " partitions of " + a.buffer() + " between " + first + " and " + last
                        + ", not a contiguous range", a.isl(s.name(), s.domain()));
            }
            if (!allowed(first, n, spec)) {
                throw LoopVerifier.fail("statement " + s.name(), which + " accesses partitions " + first + ".." + last
                        + " of " + a.buffer() + "; " + spec.name() + " lets " + n + " partitions start at "
                        + spec.allowedPartitionStarts((int) Math.min(n, Integer.MAX_VALUE)), a.isl(s.name(), s.domain()));
            }
        }
    }

    private static boolean allowed(long start, long n, AcceleratorSpec spec) {
        return start >= 0 && start < spec.partitions() && n <= spec.partitions()
                && spec.isPartitionStartAllowed((int) start, (int) n);
    }

    private static long multiplySaturated(long a, long b) {
        long r = a * b;
        return a != 0 && (r / a != b || r < 0) ? Long.MAX_VALUE : r;
    }

    private static int compareLex(List<Long> x, List<Long> y) {
        for (int i = 0; i < x.size(); i++) {
            int c = Long.compare(x.get(i), y.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
