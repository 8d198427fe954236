package dev.tessera.polyhedral;

import java.util.ArrayList;
import java.util.List;

/**
 * Integer optimization on top of the {@link Omega} feasibility test. The integer minimum of
 * an affine objective {@code f} over a conjunction is found from a rational lower bound
 * {@code L} (Fourier–Motzkin real shadow onto {@code t = f}; none means unbounded, since a
 * rational polyhedron with integer points has integer points along every recession
 * direction) by exponential then binary search on "is {@code f <= v} feasible". Example:
 * {@code min i over { [i] : exists q : i = 3q + 1 and i >= 5 }} finds {@code L = 5}, tests
 * {@code i <= 5} (no), {@code i <= 6} (no), {@code i <= 8} (yes), then bisects to {@code 7}.
 */
public final class Optimizer {
    private Optimizer() {}

    /** Signals that an optimum does not exist because the objective is unbounded. */
    public static final class UnboundedException extends RuntimeException {
        public UnboundedException() {
            super("unbounded optimum");
        }
    }

    /**
     * A valid lower bound of {@code obj · (columns, 1)} over the integer points of {@code b},
     * or {@code null} when the rational relaxation is unbounded below.
     */
    public static Long rationalLowerBound(BasicRelation b, long[] obj) {
        return Budget.guard(() -> lowerBound(shadow(b, obj, 0)));
    }

    private static Long lowerBound(Conjunction w) {
        Long bound = null;
        int wc = w.nCols();
        for (long[] r : w.eqs) {
            long v = ExactMath.ceilDiv(ExactMath.neg(r[wc]), r[0]);
            bound = bound == null ? v : ExactMath.max(bound, v);
        }
        for (long[] r : w.ineqs) {
            if (r[0] > 0) {
                long v = ExactMath.ceilDiv(ExactMath.neg(r[wc]), r[0]);
                bound = bound == null ? v : ExactMath.max(bound, v);
            }
        }
        return bound;
    }

    /**
     * True when {@code obj} is bounded below on {@code b} for every fixed value of its first
     * {@code nParams} columns (the bound may depend on them), over the rationals.
     */
    public static boolean boundedBelowForFixedParams(BasicRelation b, long[] obj, int nParams) {
        Conjunction w = Budget.guard(() -> shadow(b, obj, nParams)); // only signs are read after the scope
        for (long[] r : w.eqs) {
            if (r[0] != 0) {
                return true;
            }
        }
        for (long[] r : w.ineqs) {
            if (r[0] > 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * The real shadow of {@code b} on {@code t = obj} and its first {@code keep} columns: all
     * other columns eliminated by rational Fourier–Motzkin; column 0 of the result is {@code t}.
     */
    private static Conjunction shadow(BasicRelation b, long[] obj, int keep) {
        int n = b.nCols();
        List<long[]> eqs = new ArrayList<>();
        List<long[]> ins = new ArrayList<>();
        for (int i = 0; i < b.nEq(); i++) {
            eqs.add(shift(b.eq(i)));
        }
        for (int i = 0; i < b.nIneq(); i++) {
            ins.add(shift(b.ineq(i)));
        }
        for (int k = 0; k < b.nLocal(); k++) {
            Div d = b.local(k);
            if (d != null) {
                for (long[] r : d.definingConstraints(b.nFixed() + k)) {
                    ins.add(shift(r));
                }
            }
        }
        long[] def = shift(Relation.negate(obj));
        def[0] = 1; // t - obj = 0
        eqs.add(0, def); // first, so that the objective's own column is the one replaced by t
        List<Div> plain = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            plain.add(null);
        }
        Conjunction w = new Conjunction(1, eqs, ins, plain);
        while (true) {
            Budget.tick(1);
            if (!w.normalize()) {
                throw new IllegalStateException("rational bound of an empty conjunction");
            }
            if (eliminateEquality(w, keep)) {
                continue;
            }
            int best = -1;
            long bestCost = Long.MAX_VALUE;
            for (int c = 1 + keep; c < w.nCols(); c++) {
                long lo = 0;
                long up = 0;
                for (long[] r : w.ineqs) {
                    if (r[c] > 0) {
                        lo++;
                    } else if (r[c] < 0) {
                        up++;
                    }
                }
                if (lo + up > 0 && lo * up < bestCost) {
                    bestCost = lo * up;
                    best = c;
                }
            }
            if (best < 0) {
                break;
            }
            final int v = best;
            List<long[]> fresh = new ArrayList<>();
            int wc = w.nCols();
            for (long[] lo : w.ineqs) {
                if (lo[v] <= 0) {
                    continue;
                }
                for (long[] up : w.ineqs) {
                    if (up[v] >= 0) {
                        continue;
                    }
                    long[] r = new long[wc + 1];
                    for (int i = 0; i <= wc; i++) {
                        r[i] = ExactMath.add(ExactMath.mul(ExactMath.neg(up[v]), lo[i]), ExactMath.mul(lo[v], up[i]));
                    }
                    fresh.add(r);
                    Budget.tick(wc + 1);
                }
            }
            w.ineqs.removeIf(r -> r[v] != 0);
            w.ineqs.addAll(fresh);
            w.removeColumn(v);
        }
        return w;
    }

    private static long[] shift(long[] r) {
        long[] o = new long[r.length + 1];
        System.arraycopy(r, 0, o, 1, r.length);
        return o;
    }

    /**
     * Rational elimination of one non-objective column through an equality; false if none.
     * The pivot is a column with a unit coefficient if there is one (the substitution loses
     * nothing), otherwise the equality's last column (locals before dimensions, as isl's
     * Gaussian elimination does), so the bounds written on dimensions survive rather than
     * being rewritten, and gcd-tightened, on locals: for {@code i = 4e + 2 and i >= 0} the
     * bound found for {@code i} is {@code i >= 0}, not {@code i >= 2}.
     */
    private static boolean eliminateEquality(Conjunction w, int keep) {
        int wc = w.nCols();
        for (long[] e : w.eqs) {
            int c = -1;
            for (int k = wc - 1; k >= 1 + keep; k--) {
                if (e[k] == 1 || e[k] == -1) {
                    c = k;
                    break;
                }
                if (e[k] != 0 && c < 0) {
                    c = k;
                }
            }
            if (c >= 0) {
                long ec = e[c];
                long sign = ec > 0 ? 1 : -1;
                for (List<long[]> rows : List.of(w.eqs, w.ineqs)) {
                    for (long[] r : rows) {
                        if (r == e || r[c] == 0) {
                            continue;
                        }
                        long f = r[c];
                        for (int i = 0; i <= wc; i++) {
                            r[i] = ExactMath.sub(ExactMath.mul(ExactMath.mul(sign, ec), r[i]), ExactMath.mul(ExactMath.mul(sign, f), e[i]));
                        }
                    }
                }
                w.eqs.remove(e);
                w.removeColumn(c);
                Budget.tick(1);
                return true;
            }
        }
        return false;
    }

    /** The integer minimum of {@code obj} over satisfiable {@code b}; throws {@link UnboundedException}. */
    public static long integerMin(BasicRelation b, long[] obj) {
        Long bound = rationalLowerBound(b, obj);
        if (bound == null) {
            throw new UnboundedException();
        }
        long lo = bound;
        long step = 1;
        while (!feasibleAtMost(b, obj, ExactMath.add(lo, ExactMath.sub(step, 1)))) {
            lo = ExactMath.add(lo, step);
            step = ExactMath.mul(step, 2);
        }
        long hi = ExactMath.add(lo, ExactMath.sub(step, 1));
        while (ExactMath.compare(lo, hi) < 0) {
            long mid = ExactMath.add(lo, ExactMath.div(ExactMath.sub(hi, lo), 2));
            if (feasibleAtMost(b, obj, mid)) {
                hi = mid;
            } else {
                lo = ExactMath.add(mid, 1);
            }
        }
        return lo;
    }

    private static boolean feasibleAtMost(BasicRelation b, long[] obj, long v) {
        long[] row = Relation.negate(obj); // v - obj >= 0
        row[row.length - 1] = ExactMath.add(row[row.length - 1], v);
        return Omega.isSatisfiable(b.withConstraints(List.of(), List.<long[]>of(row)));
    }

    /** {@code b} with fixed column {@code c} set to {@code v}. */
    static BasicRelation fix(BasicRelation b, int c, long v) {
        long[] row = new long[b.nCols() + 1];
        row[c] = 1;
        row[b.nCols()] = ExactMath.neg(v);
        return b.withConstraints(List.<long[]>of(row), List.of());
    }

    /**
     * The lexicographically smallest (or largest) integer point of a parameter-free set, or
     * {@code null} when empty; {@link UnboundedException} when there is none.
     */
    public static long[] lexOptPoint(Relation set, boolean max) {
        long[] best = null;
        int nf = set.space().nDim();
        for (BasicRelation p : set.pieces()) {
            if (!Omega.isSatisfiable(p)) {
                continue;
            }
            long[] pt = new long[nf];
            BasicRelation cur = p;
            for (int d = 0; d < nf; d++) {
                long[] obj = new long[cur.nCols() + 1];
                obj[d] = max ? -1 : 1;
                long m = integerMin(cur, obj);
                pt[d] = max ? ExactMath.neg(m) : m;
                cur = fix(cur, d, pt[d]);
            }
            if (best == null || compareLex(pt, best) * (max ? -1 : 1) < 0) {
                best = pt;
            }
        }
        return best;
    }

    static int compareLex(long[] a, long[] b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                return ExactMath.compare(a[i], b[i]);
            }
        }
        return 0;
    }

    /** Some integer point of {@code b} (all fixed columns), or {@code null} if there is none. */
    public static long[] samplePoint(BasicRelation b) {
        if (!Omega.isSatisfiable(b)) {
            return null;
        }
        int nf = b.nFixed();
        long[] pt = new long[nf];
        BasicRelation cur = b;
        for (int d = 0; d < nf; d++) {
            pt[d] = someValue(cur, d);
            cur = fix(cur, d, pt[d]);
        }
        return pt;
    }

    private static long someValue(BasicRelation b, int d) {
        long[] obj = new long[b.nCols() + 1];
        obj[d] = 1;
        if (rationalLowerBound(b, obj) != null) {
            return integerMin(b, obj);
        }
        obj[d] = -1;
        if (rationalLowerBound(b, obj) != null) {
            return ExactMath.neg(integerMin(b, obj));
        }
        for (int k = 0; k < 62; k++) {
            long r = ExactMath.of(1L << k);
            long[] lo = new long[b.nCols() + 1];
            lo[d] = 1;
            lo[b.nCols()] = r;
            long[] hi = new long[b.nCols() + 1];
            hi[d] = -1;
            hi[b.nCols()] = r;
            BasicRelation box = b.withConstraints(List.of(), List.of(lo, hi));
            if (Omega.isSatisfiable(box)) {
                long[] o = new long[b.nCols() + 1];
                o[d] = 1;
                return integerMin(box, o);
            }
        }
        throw new BudgetExceededException(62);
    }
}
