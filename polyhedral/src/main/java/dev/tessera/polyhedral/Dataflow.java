package dev.tessera.polyhedral;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Exact value-based dataflow (array dataflow analysis) from a schedule, must writes, reads,
 * optional may writes and kills, with the semantics of isl's
 * {@code isl_union_access_info_compute_flow}. With {@code before(x, y)} meaning the schedule
 * time of {@code x} is lexicographically smaller than that of {@code y}:
 *
 * <ul>
 *   <li>may dependence {@code w -> [r -> a]}: {@code w} (must or may write) writes {@code a},
 *       {@code r} reads it, {@code before(w, r)}, and no must write or kill {@code k} of
 *       {@code a} has {@code before(w, k) ∧ before(k, r)};</li>
 *   <li>must dependence: as above with {@code w} a must write and no write or kill at all in between;</li>
 *   <li>must_no_source {@code r -> a}: no write or kill of {@code a} before {@code r};</li>
 *   <li>may_no_source: no must write or kill of {@code a} before {@code r}.</li>
 * </ul>
 * Example: {@code W[i] -> A[i]} at time {@code [0, i]} and {@code R[i] -> A[i + 1]} at
 * {@code [1, i]} give {@code W[i] -> R[i - 1]} for {@code 1 <= i <= 9} and no source for {@code R[9]}.
 * Every difference is an exact {@link Relation#subtract}.
 */
public final class Dataflow {
    /**
     * Largest lower × upper bound count for which a blocker's projected iteration is eliminated
     * by Fourier–Motzkin even though the row count grows (see {@link Omega#simplifyEliminating}).
     */
    private static final int KILL_ELIMINATION_PAIRS = 16;

    private Dataflow() {}

    /** Runs the analysis named by {@code op} ({@code deps}, {@code deps_may}, …) on SCHEDULE, MUST, READS[, MAY[, KILLS]]. */
    public static UnionRelation compute(String op, List<UnionRelation> args) {
        UnionRelation[] a = alignAll(args);
        UnionRelation sched = a[0];
        UnionRelation must = a[1];
        UnionRelation reads = a[2];
        UnionRelation may = a.length > 3 ? a[3] : new UnionRelation(sched.params(), List.of());
        UnionRelation kills = a.length > 4 ? a[4] : new UnionRelation(sched.params(), List.of());
        for (UnionRelation u : a) {
            if (!u.params().isEmpty()) {
                throw new IllegalArgumentException("parametric input (dataflow needs fixed parameters)");
            }
        }
        Analysis an = new Analysis(sched);
        List<Relation> out = new ArrayList<>();
        switch (op) {
            case "deps", "deps_full", "deps_may", "deps_full_may" -> {
                boolean mustOnly = op.equals("deps") || op.equals("deps_full");
                List<Relation> sources = new ArrayList<>(must.parts());
                if (!mustOnly) {
                    sources.addAll(may.parts());
                }
                List<Relation> blockers = new ArrayList<>(must.parts());
                blockers.addAll(kills.parts());
                if (mustOnly) {
                    blockers.addAll(may.parts());
                }
                boolean full = op.startsWith("deps_full");
                for (Relation r : reads.parts()) {
                    for (Relation w : sources) {
                        if (!w.space().out().equals(r.space().out())) {
                            continue;
                        }
                        Relation dep = an.flow(w, r, blockers);
                        out.add(full ? dep : dropElement(dep));
                    }
                }
            }
            case "deps_nosrc", "deps_may_nosrc" -> {
                List<Relation> writers = new ArrayList<>(must.parts());
                writers.addAll(kills.parts());
                if (op.equals("deps_nosrc")) {
                    writers.addAll(may.parts());
                }
                for (Relation r : reads.parts()) {
                    Relation left = r;
                    for (Relation w : writers) {
                        if (w.space().out().equals(r.space().out())) {
                            left = left.subtract(an.writtenBefore(w, r));
                        }
                    }
                    out.add(left);
                }
            }
            default -> throw new IllegalArgumentException("unknown dataflow op " + op);
        }
        List<Relation> nonEmpty = new ArrayList<>();
        for (Relation r : out) {
            Relation c = r.cleaned();
            if (!c.pieces().isEmpty()) {
                nonEmpty.add(c);
            }
        }
        return new UnionRelation(sched.params(), nonEmpty);
    }

    private static UnionRelation[] alignAll(List<UnionRelation> args) {
        List<String> ps = new ArrayList<>();
        for (UnionRelation u : args) {
            ps = Space.mergeParams(ps, u.params());
        }
        UnionRelation[] out = new UnionRelation[args.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = args.get(i).withParams(ps);
        }
        return out;
    }

    private static Relation schedule(UnionRelation sched, Tuple stmt) {
        for (Relation s : sched.parts()) {
            if (s.space().isRelation() && s.space().in().equals(stmt)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no schedule for statement " + stmt);
    }

    /**
     * One analysis over one schedule. The lexicographic order between two statements and the
     * ordered pairs of two accesses are built once and reused: in {@code deps} on a reduction
     * the must write is also the blocker, and its reads are often the same relation, so the
     * candidates and both blocker pairs are one relation. Accesses are recognized as equal by
     * their printed text.
     */
    private static final class Analysis {
        private final UnionRelation sched;
        private final Map<List<Tuple>, Relation> befores = new HashMap<>();
        private final Map<List<String>, Relation> pairs = new HashMap<>();

        Analysis(UnionRelation sched) {
            this.sched = sched;
        }

        /** {@code { x -> [y -> a] : X(x, a) ∧ Y(y, a) ∧ before(x, y) }}, columns {@code [p | x | y | a]}; cached. */
        private Relation orderedPairs(Relation x, Relation y) {
            List<String> key = List.of(x.toString(), y.toString());
            Relation known = pairs.get(key);
            if (known == null) {
                known = computeOrderedPairs(x, y);
                pairs.put(key, known);
            }
            return known;
        }

        /** {@code { x -> y : S(x) lex< S(y) }} for statements {@code x} and {@code y}; cached. */
        private Relation before(Tuple x, Tuple y) {
            return befores.computeIfAbsent(List.of(x, y), k -> computeBefore(x, y));
        }

        private Relation computeBefore(Tuple x, Tuple y) {
            Relation sx = schedule(sched, x);
            Relation sy = schedule(sched, y);
            if (!sx.space().out().equals(sy.space().out())) {
                throw new IllegalArgumentException("schedules of " + x + " and " + y + " map to different time spaces");
            }
            Relation order = LexOrder.lessThan(sx.space().params(), sx.space().out());
            return sx.applyRange(order).applyRange(sy.reverse());
        }

        /**
         * {@code { w -> [r -> a] : W(w, a) ∧ R(r, a) ∧ before(w, r) }} minus the triples with a
         * blocker {@code k} (writing {@code a}) strictly between them. The blocker pairs
         * {@code w -> [k -> a]} and {@code k -> [r -> a]} are built each in its own smaller space
         * first, where the access equalities empty most pieces of the lexicographic orders at
         * little cost; only the surviving pieces are joined over {@code k} with the candidates.
         */
        private Relation flow(Relation w, Relation r, List<Relation> blockers) {
            Relation candidates = orderedPairs(w, r);
            Space full = candidates.space();
            if (candidates.pieces().isEmpty()) { // intersect keeps only pieces with points
                return Relation.empty(full);
            }
            int np = w.space().nParam();
            int nw = w.space().nIn();
            int nr = r.space().nIn();
            int na = r.space().nOut();
            int nf = np + nw + nr + na;
            List<BasicRelation> killed = new ArrayList<>();
            for (Relation k : blockers) {
                if (!k.space().out().equals(r.space().out())) {
                    continue;
                }
                Relation wk = orderedPairs(w, k);
                if (wk.pieces().isEmpty()) {
                    continue;
                }
                Relation kr = orderedPairs(k, r);
                if (kr.pieces().isEmpty()) {
                    continue;
                }
                int nk = k.space().nIn();
                int nf2 = nf + nk;
                // columns [p | w | r | a | k]
                Space s2 = Space.relation(w.space().params(), w.space().in(),
                        Tuple.wrap(null, full.out(), k.space().in()));
                Relation within = place(candidates, s2, nf2, np, new int[] {np, np + nw}, new int[] {nw, nr + na});
                Relation wkIn = place(wk, s2, nf2, np, new int[] {np, nf, np + nw + nr}, new int[] {nw, nk, na});
                Relation krIn = place(kr, s2, nf2, np, new int[] {nf, np + nw, np + nw + nr}, new int[] {nk, nr, na});
                Relation between = within.intersect(krIn).intersect(wkIn);
                for (BasicRelation b : between.pieces()) {
                    killed.add(Omega.simplifyEliminating(b.projectOut(nf, nk), KILL_ELIMINATION_PAIRS));
                }
            }
            return candidates.subtract(new Relation(full, killed));
        }

        private Relation computeOrderedPairs(Relation x, Relation y) {
            Tuple xt = x.space().in();
            Tuple yt = y.space().in();
            int np = x.space().nParam();
            int nx = xt.arity();
            int ny = yt.arity();
            int na = y.space().nOut();
            int nf = np + nx + ny + na;
            Space s = Space.relation(x.space().params(), xt, Tuple.wrap(null, yt, y.space().out()));
            Relation xa = place(x, s, nf, np, new int[] {np, np + nx + ny}, new int[] {nx, na});
            Relation ya = place(y, s, nf, np, new int[] {np + nx, np + nx + ny}, new int[] {ny, na});
            Relation bxy = place(before(xt, yt), s, nf, np, new int[] {np, np + nx}, new int[] {nx, ny});
            return xa.intersect(ya).intersect(bxy);
        }

        /** {@code { r -> a : R(r, a) ∧ ∃ w : W(w, a) ∧ before(w, r) }}. */
        private Relation writtenBefore(Relation w, Relation r) {
            Tuple wt = w.space().in();
            Tuple rt = r.space().in();
            int np = w.space().nParam();
            int nw = wt.arity();
            int nr = rt.arity();
            int na = r.space().nOut();
            int nf = np + nr + na + nw;
            Space s = Space.relation(r.space().params(), rt, Tuple.wrap(null, r.space().out(), wt));
            // columns [p | r | a | w]
            Relation ra = place(r, s, nf, np, new int[] {np, np + nr}, new int[] {nr, na});
            Relation wa = place(w, s, nf, np, new int[] {np + nr + na, np + nr}, new int[] {nw, na});
            Relation bwr = place(before(wt, rt), s, nf, np, new int[] {np + nr + na, np}, new int[] {nw, nr});
            Relation all = ra.intersect(wa).intersect(bwr);
            List<BasicRelation> proj = new ArrayList<>();
            for (BasicRelation b : all.pieces()) {
                proj.add(Omega.simplify(b.projectOut(np + nr + na, nw)));
            }
            return new Relation(r.space(), proj);
        }
    }

    /**
     * Places relation {@code m} into a wider layout: after the {@code np} parameters, its
     * columns are cut into consecutive blocks of the given {@code sizes}, and block {@code i}
     * starts at column {@code at[i]}.
     */
    private static Relation place(Relation m, Space target, int nf, int np, int[] at, int[] sizes) {
        int total = np;
        for (int size : sizes) {
            total += size;
        }
        int[] to = new int[total];
        for (int i = 0; i < np; i++) {
            to[i] = i;
        }
        int c = np;
        for (int blk = 0; blk < sizes.length; blk++) {
            for (int i = 0; i < sizes[blk]; i++) {
                to[c++] = at[blk] + i;
            }
        }
        List<BasicRelation> ps = new ArrayList<>();
        for (BasicRelation b : m.pieces()) {
            ps.add(b.remap(nf, to, 0));
        }
        return new Relation(target, ps);
    }

    /** {@code w -> [r -> a]} to {@code w -> r}. */
    private static Relation dropElement(Relation full) {
        Space s = full.space();
        Tuple rt = s.out().domain();
        Space dep = Space.relation(s.params(), s.in(), rt);
        int np = s.nParam();
        List<BasicRelation> ps = new ArrayList<>();
        for (BasicRelation b : full.pieces()) {
            ps.add(Omega.simplify(b.projectOut(np + s.nIn() + rt.arity(), s.out().range().arity())));
        }
        return new Relation(dep, ps);
    }
}
