package dev.tessera.polyhedral;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The mutable working copy of a {@link BasicRelation} that the {@link Omega} engine
 * rewrites: rows are edited in place, columns of locals are removed or transformed. Never
 * escapes the engine.
 */
final class Conjunction {
    final int nFixed;
    final ArrayList<long[]> eqs;
    final ArrayList<long[]> ineqs;
    final ArrayList<Div> divs;

    Conjunction(int nFixed, List<long[]> eqs, List<long[]> ineqs, List<Div> divs) {
        this.nFixed = nFixed;
        this.eqs = new ArrayList<>();
        for (long[] r : eqs) {
            this.eqs.add(r.clone());
        }
        this.ineqs = new ArrayList<>();
        for (long[] r : ineqs) {
            this.ineqs.add(r.clone());
        }
        this.divs = new ArrayList<>(divs);
    }

    static Conjunction of(BasicRelation b) {
        return new Conjunction(b.nFixed(), b.eqList(), b.ineqList(), b.localList());
    }

    /**
     * All columns as plain existentials (no fixed columns), div definitions spelled out as
     * inequalities: the form in which integer feasibility is decided.
     */
    static Conjunction allExistential(BasicRelation b) {
        List<long[]> in = new ArrayList<>(b.ineqList());
        List<Div> ds = new ArrayList<>();
        for (int i = 0; i < b.nCols(); i++) {
            ds.add(null);
        }
        for (int k = 0; k < b.nLocal(); k++) {
            Div d = b.local(k);
            if (d != null) {
                in.addAll(Arrays.asList(d.definingConstraints(b.nFixed() + k)));
            }
        }
        return new Conjunction(0, b.eqList(), in, ds);
    }

    /** A div whose numerator uses a plain local is turned into a plain local with explicit constraints. */
    void undefineDivsOnPlainLocals() {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int k = 0; k < divs.size(); k++) {
                Div d = divs.get(k);
                if (d == null) {
                    continue;
                }
                for (int j = 0; j < divs.size(); j++) {
                    if (divs.get(j) == null && d.num(nFixed + j) != 0) {
                        ineqs.addAll(Arrays.asList(d.definingConstraints(nFixed + k)));
                        divs.set(k, null);
                        changed = true;
                        break;
                    }
                }
            }
        }
    }

    /**
     * Merges locals with identical div definitions (intersections of pieces that share a
     * floor expression produce them): the later column is folded into the earlier one.
     */
    void mergeDuplicateDivs() {
        boolean merged = true;
        while (merged) {
            merged = false;
            for (int k = 0; k < divs.size() && !merged; k++) {
                Div a = divs.get(k);
                if (a == null) {
                    continue;
                }
                for (int j = k + 1; j < divs.size() && !merged; j++) {
                    if (a.equals(divs.get(j))) {
                        int keep = nFixed + k;
                        int drop = nFixed + j;
                        for (List<long[]> rows : List.of(eqs, ineqs)) {
                            for (long[] r : rows) {
                                if (r[drop] != 0) {
                                    r[keep] = ExactMath.add(r[keep], r[drop]);
                                    r[drop] = 0;
                                }
                            }
                        }
                        for (int m = 0; m < divs.size(); m++) {
                            Div d = divs.get(m);
                            if (d != null && d.num(drop) != 0) {
                                long[] n = d.numerator();
                                n[keep] = ExactMath.add(n[keep], n[drop]);
                                n[drop] = 0;
                                divs.set(m, new Div(n, d.denominator()));
                            }
                        }
                        removeColumn(drop);
                        merged = true;
                    }
                }
            }
        }
    }

    Conjunction copy() {
        return new Conjunction(nFixed, eqs, ineqs, divs);
    }

    int nCols() {
        return nFixed + divs.size();
    }

    boolean isPlain(int col) {
        return col >= nFixed && divs.get(col - nFixed) == null;
    }

    BasicRelation toBasic() {
        return new BasicRelation(nFixed, eqs, ineqs, divs);
    }

    /** Removes column {@code c}; no row or div may still use it. */
    void removeColumn(int c) {
        for (int i = 0; i < eqs.size(); i++) {
            eqs.set(i, dropIndex(eqs.get(i), c));
        }
        for (int i = 0; i < ineqs.size(); i++) {
            ineqs.set(i, dropIndex(ineqs.get(i), c));
        }
        divs.remove(c - nFixed);
        for (int k = 0; k < divs.size(); k++) {
            Div d = divs.get(k);
            if (d != null) {
                divs.set(k, new Div(dropIndex(d.numerator(), c), d.denominator()));
            }
        }
    }

    private static long[] dropIndex(long[] r, int c) {
        if (r[c] != 0) {
            throw new IllegalStateException("removing a column still in use");
        }
        long[] o = new long[r.length - 1];
        System.arraycopy(r, 0, o, 0, c);
        System.arraycopy(r, c + 1, o, c, r.length - c - 1);
        return o;
    }

    boolean usedAnywhere(int c) {
        for (long[] r : eqs) {
            if (r[c] != 0) {
                return true;
            }
        }
        for (long[] r : ineqs) {
            if (r[c] != 0) {
                return true;
            }
        }
        for (Div d : divs) {
            if (d != null && d.num(c) != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Eliminates column {@code c} with equality {@code e} ({@code e[c] = ±1}): every other row
     * and div numerator gets {@code c} replaced by its value; then drops the equality and the column.
     */
    void substitute(int c, long[] e) {
        long s = e[c];
        eqs.remove(e);
        for (List<long[]> rows : List.of(eqs, ineqs)) {
            for (long[] r : rows) {
                long f = r[c];
                if (f != 0) {
                    long m = ExactMath.mul(f, s); // r - (f/s)·e = r - f·s·e since s = ±1
                    for (int i = 0; i < r.length; i++) {
                        if (e[i] != 0) {
                            r[i] = ExactMath.sub(r[i], ExactMath.mul(m, e[i]));
                        }
                    }
                    Budget.tick(1);
                }
            }
        }
        for (int k = 0; k < divs.size(); k++) {
            Div d = divs.get(k);
            if (d != null && d.num(c) != 0) {
                long[] n = d.numerator();
                long m = ExactMath.mul(n[c], s);
                for (int i = 0; i < n.length; i++) {
                    if (e[i] != 0) {
                        n[i] = ExactMath.sub(n[i], ExactMath.mul(m, e[i]));
                    }
                }
                divs.set(k, new Div(n, d.denominator()));
            }
        }
        removeColumn(c);
    }

    /** Column operation {@code col[target] -= q · col[src]} on all rows: a unimodular change of variables. */
    void columnOp(int target, int src, long q) {
        for (List<long[]> rows : List.of(eqs, ineqs)) {
            for (long[] r : rows) {
                if (r[src] != 0) {
                    r[target] = ExactMath.sub(r[target], ExactMath.mul(q, r[src]));
                }
            }
        }
        for (Div d : divs) {
            if (d != null && (d.num(src) != 0)) {
                throw new IllegalStateException("column operation on a column a div uses");
            }
        }
        Budget.tick(1);
    }

    /**
     * Gcd-normalizes and deduplicates the rows, tightens inequality constants, turns opposite
     * inequalities into equalities. Returns false when a contradiction shows.
     */
    boolean normalize() {
        int w = nCols();
        boolean again = true;
        while (again) {
            again = false;
            Map<RowKey, long[]> eqSeen = new HashMap<>();
            ArrayList<long[]> newEqs = new ArrayList<>();
            for (long[] r : eqs) {
                long g = rowGcd(r, w);
                if (g == 0) {
                    if (r[w] != 0) {
                        return false;
                    }
                    continue;
                }
                if (ExactMath.mod(r[w], g) != 0) {
                    return false;
                }
                int first = firstNonZero(r, w);
                long sg = r[first] < 0 ? ExactMath.neg(g) : g;
                if (sg != 1) {
                    for (int i = 0; i <= w; i++) {
                        r[i] = ExactMath.div(r[i], sg);
                    }
                }
                RowKey k = new RowKey(r, w);
                long[] prev = eqSeen.get(k);
                if (prev != null) {
                    if (prev[w] != r[w]) { // codes are equal exactly when values are
                        return false;
                    }
                    continue;
                }
                eqSeen.put(k, r);
                newEqs.add(r);
            }
            eqs.clear();
            eqs.addAll(newEqs);
            Map<RowKey, long[]> seen = new HashMap<>();
            ArrayList<long[]> kept = new ArrayList<>();
            for (long[] r : ineqs) {
                long g = rowGcd(r, w);
                if (g == 0) {
                    if (r[w] < 0) {
                        return false;
                    }
                    continue;
                }
                if (g != 1) {
                    for (int i = 0; i < w; i++) {
                        r[i] = ExactMath.div(r[i], g);
                    }
                    r[w] = ExactMath.floorDiv(r[w], g);
                }
                RowKey k = new RowKey(r, w);
                long[] prev = seen.get(k);
                if (prev != null) {
                    prev[w] = ExactMath.min(prev[w], r[w]);
                    continue;
                }
                seen.put(k, r);
                kept.add(r);
            }
            ineqs.clear();
            for (long[] r : kept) {
                if (r[w] == Long.MIN_VALUE) {
                    continue; // the other half of an equality found below
                }
                long[] neg = new long[w + 1];
                for (int i = 0; i < w; i++) {
                    neg[i] = ExactMath.neg(r[i]);
                }
                long[] opp = seen.get(new RowKey(neg, w));
                if (opp != null && opp[w] != Long.MIN_VALUE) {
                    long sum = ExactMath.add(r[w], opp[w]);
                    if (sum < 0) {
                        return false;
                    }
                    if (sum == 0) {
                        eqs.add(r.clone());
                        again = true;
                        r[w] = Long.MIN_VALUE; // marks both halves as consumed
                        opp[w] = Long.MIN_VALUE;
                        continue;
                    }
                }
                ineqs.add(r);
            }
            Budget.tick(eqs.size() + ineqs.size() + 1);
        }
        return true;
    }

    /**
     * Interval reasoning. The box stated by single-column rows drops the inequalities that
     * hold everywhere in it; a box tightened by two rounds of propagation through all rows
     * detects contradictions (a row negative everywhere in it, or an empty interval). Sound
     * for integer points: bounds are rounded inward and only rows implied by rows that stay
     * are dropped. Keeps Fourier–Motzkin from carrying redundant rows.
     */
    boolean pruneByBounds() {
        int w = nCols();
        if (w == 0) {
            return true;
        }
        long[] lo = new long[w];
        long[] hi = new long[w];
        boolean[] hasLo = new boolean[w];
        boolean[] hasHi = new boolean[w];
        for (long[] r : ineqs) {
            if (singleColumn(r, w) >= 0) {
                tighten(r, 1, lo, hi, hasLo, hasHi, w);
            }
        }
        List<long[]> keep = new ArrayList<>();
        for (long[] r : ineqs) {
            Long min = rangeEnd(r, lo, hi, hasLo, hasHi, w, false);
            if (min != null && min >= 0 && singleColumn(r, w) < 0) {
                continue; // implied by the single-column rows, which stay
            }
            keep.add(r);
        }
        ineqs.clear();
        ineqs.addAll(keep);
        for (int round = 0; round < 2; round++) {
            for (long[] r : ineqs) {
                tighten(r, 1, lo, hi, hasLo, hasHi, w);
            }
            for (long[] r : eqs) {
                tighten(r, 1, lo, hi, hasLo, hasHi, w);
                tighten(r, -1, lo, hi, hasLo, hasHi, w);
            }
        }
        for (int c = 0; c < w; c++) {
            if (hasLo[c] && hasHi[c] && ExactMath.compare(lo[c], hi[c]) > 0) {
                return false;
            }
        }
        for (long[] r : ineqs) {
            Long max = rangeEnd(r, lo, hi, hasLo, hasHi, w, true);
            if (max != null && max < 0) {
                return false;
            }
        }
        return true;
    }

    /** The one column a row uses, -1 if it uses none or several. */
    private static int singleColumn(long[] r, int w) {
        int col = -1;
        for (int c = 0; c < w; c++) {
            if (r[c] != 0) {
                if (col >= 0) {
                    return -1;
                }
                col = c;
            }
        }
        return col;
    }

    /**
     * Bounds each column of {@code sign·r >= 0} (or {@code = 0}) from the others' current bounds.
     * With {@code M} the maximum of {@code sign·r} over the box, the maximum of the rest of the
     * row without column {@code v} is {@code M - max(a_v·v)}, so one pass over the row gives
     * every column's bound. A column's bound from this row is on the other side from the one
     * the row's maximum uses for it, so no update below changes {@code M}.
     */
    private static void tighten(long[] r, int sign, long[] lo, long[] hi, boolean[] hasLo, boolean[] hasHi, int w) {
        long finiteMax = sign > 0 ? r[w] : ExactMath.neg(r[w]); // sum over the bounded terms
        int unbounded = 0;
        int unboundedCol = -1;
        for (int c = 0; c < w; c++) {
            long k = sign > 0 ? r[c] : ExactMath.neg(r[c]);
            if (k == 0) {
                continue;
            }
            if (k > 0 ? !hasHi[c] : !hasLo[c]) {
                if (++unbounded > 1) {
                    return; // every column's rest has an unbounded term
                }
                unboundedCol = c;
            } else {
                finiteMax = ExactMath.add(finiteMax, ExactMath.mul(k, k > 0 ? hi[c] : lo[c]));
            }
        }
        for (int v = 0; v < w; v++) {
            long a = sign > 0 ? r[v] : ExactMath.neg(r[v]);
            if (a == 0 || (unbounded == 1 && v != unboundedCol)) {
                continue;
            }
            // a·v + rest >= 0 with rest = sign·(r - r[v]·v); maxRest = max of rest
            long maxRest = v == unboundedCol ? finiteMax
                    : ExactMath.sub(finiteMax, ExactMath.mul(a, a > 0 ? hi[v] : lo[v]));
            if (a > 0) { // v >= ceil(-maxRest / a)
                long b = ExactMath.ceilDiv(ExactMath.neg(maxRest), a);
                if (!hasLo[v] || ExactMath.compare(b, lo[v]) > 0) {
                    lo[v] = b;
                    hasLo[v] = true;
                }
            } else { // v <= floor(maxRest / -a)
                long b = ExactMath.floorDiv(maxRest, ExactMath.neg(a));
                if (!hasHi[v] || ExactMath.compare(b, hi[v]) < 0) {
                    hi[v] = b;
                    hasHi[v] = true;
                }
            }
        }
    }

    /** The minimum ({@code max = false}) or maximum of row {@code r} over the box, or null if unbounded. */
    private static Long rangeEnd(long[] r, long[] lo, long[] hi, boolean[] hasLo, boolean[] hasHi, int w, boolean max) {
        long v = r[w];
        for (int c = 0; c < w; c++) {
            long k = r[c];
            if (k == 0) {
                continue;
            }
            boolean useHi = (k > 0) == max;
            if (useHi ? !hasHi[c] : !hasLo[c]) {
                return null;
            }
            v = ExactMath.add(v, ExactMath.mul(k, useHi ? hi[c] : lo[c]));
        }
        return v;
    }

    static long rowGcd(long[] r, int w) {
        long g = 0;
        for (int i = 0; i < w; i++) {
            if (r[i] != 0) {
                g = ExactMath.gcd(g, r[i]);
                if (g == 1) {
                    return 1;
                }
            }
        }
        return g;
    }

    static int firstNonZero(long[] r, int w) {
        for (int i = 0; i < w; i++) {
            if (r[i] != 0) {
                return i;
            }
        }
        return -1;
    }

    /** Hash key of a row's coefficients (without the constant). */
    private record RowKey(long[] coeffs) {
        RowKey(long[] r, int w) {
            this(Arrays.copyOf(r, w));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RowKey k && Arrays.equals(coeffs, k.coeffs);
        }

        /** Mixed per entry: {@link Arrays#hashCode(long[])} hashes {@code -1} as {@code 0}, so rows of unit entries collide. */
        @Override
        public int hashCode() {
            long h = 1;
            for (long x : coeffs) {
                h = (h + x) * 0x9E3779B97F4A7C15L;
            }
            return (int) (h ^ (h >>> 32));
        }
    }
}
