package dev.tessera.polyhedral;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Exact counting of integer points without enumerating them all.
 *
 * <ol>
 *   <li>Every piece is rewritten with {@link Omega#defineLocals} so that its locals are
 *       functions (floor divisions) of the dimensions; the pieces are made pairwise disjoint
 *       by subtracting the earlier ones.</li>
 *   <li>In each piece, dimensions fixed by a unit equality are substituted away (a bijection
 *       on the integer points).</li>
 *   <li>The remaining dimensions split into independent groups (no row and no div links two
 *       groups); the count is the product over groups. A group whose rows each bound one
 *       dimension is a box: the product of its interval lengths.</li>
 *   <li>Other groups are scanned: outer dimensions over their bounds, the innermost counted as
 *       an interval when no div depends on it.</li>
 * </ol>
 * Example: the conv input footprint {@code { In[n, c, h, w] : ∃ oh, r, ow, s : h = 2oh + r - 1 ∧ … }}
 * factors into {@code n}, {@code c} (intervals), {@code h} and {@code w} (each scanned over a few hundred values).
 */
public final class Counting {
    private Counting() {}

    /** The number of points of a parameter-free union (relations count pairs), or {@code infinity}; exact at any size. */
    public static String card(UnionRelation u) {
        return Budget.guard(() -> {
            long total = 0;
            for (Relation r : u.parts()) {
                if (r.space().nParam() > 0) {
                    throw new IllegalArgumentException("parametric set (card needs fixed parameters)");
                }
                long c = countPoints(r);
                if (c < 0) {
                    return "infinity";
                }
                total = ExactMath.add(total, c);
            }
            return ExactMath.toString(total);
        });
    }

    /**
     * The number of integer points, or -1 when infinite; {@link ArithmeticException} when the
     * count does not fit in a {@code long} ({@link #card} prints any count).
     */
    public static long count(Relation r) {
        return Budget.guard(() -> ExactMath.toLongExact(countPoints(r)));
    }

    private static long countPoints(Relation r) {
        List<BasicRelation> disjoint = new ArrayList<>();
        for (BasicRelation b : r.pieces()) {
            for (BasicRelation p : Omega.defineLocals(b)) {
                List<BasicRelation> rest = List.of(p);
                for (BasicRelation q : disjoint) {
                    List<BasicRelation> next = new ArrayList<>();
                    for (BasicRelation x : rest) {
                        if (Omega.isSatisfiable(x.intersect(q))) {
                            next.addAll(Relation.subtractDefined(x, q));
                        } else {
                            next.add(x);
                        }
                    }
                    rest = next;
                }
                disjoint.addAll(rest);
            }
        }
        long total = 0;
        for (BasicRelation b : disjoint) {
            long c = countPiece(b);
            if (c < 0) {
                return -1;
            }
            total = ExactMath.add(total, c);
        }
        return total;
    }

    /** Points of one conjunction whose locals all have div definitions; -1 when infinite. */
    static long countPiece(BasicRelation b) {
        if (!Omega.isSatisfiable(b)) {
            return 0;
        }
        List<Div> cols = new ArrayList<>();
        for (int i = 0; i < b.nFixed(); i++) {
            cols.add(null); // a dimension to count
        }
        cols.addAll(b.localList());
        Conjunction w = new Conjunction(0, b.eqList(), b.ineqList(), cols);
        boolean substituted = true;
        while (substituted) {
            if (!w.normalize()) {
                return 0;
            }
            substituted = false;
            for (long[] e : w.eqs) {
                if (usesDiv(e, w)) {
                    if (unitDimension(e, w) < 0) {
                        continue;
                    }
                    // i = m·q + 3 with q = floor(i/m): the dimension may define a div of this row, so
                    // the divs of the row become plain columns with their defining inequalities (q is
                    // a function of the others: a bijection on the points), then i is substituted
                    liftDivs(e, w);
                }
                for (int c = 0; c < w.nCols() && !substituted; c++) {
                    if (w.divs.get(c) == null && Math.abs(e[c]) == 1) {
                        w.substitute(c, e);
                        substituted = true;
                    }
                }
                if (substituted) {
                    break;
                }
            }
        }
        int n = w.nCols();
        long[][] support = supports(w);
        int[] group = new int[n];
        for (int i = 0; i < n; i++) {
            group[i] = i;
        }
        List<long[]> rows = new ArrayList<>();
        rows.addAll(w.eqs);
        rows.addAll(w.ineqs);
        for (long[] r : rows) {
            int first = -1;
            for (int c = 0; c < n; c++) {
                if (r[c] == 0) {
                    continue;
                }
                for (int d = 0; d < n; d++) {
                    if (support[c][d] != 0) {
                        if (first < 0) {
                            first = d;
                        } else {
                            union(group, first, d);
                        }
                    }
                }
            }
        }
        BasicRelation whole = new Conjunction(0, w.eqs, w.ineqs, w.divs).toBasic();
        long total = 1;
        boolean[] seen = new boolean[n];
        for (int d = 0; d < n; d++) {
            if (w.divs.get(d) != null || seen[find(group, d)]) {
                continue;
            }
            int root = find(group, d);
            seen[root] = true;
            List<Integer> dims = new ArrayList<>();
            for (int e = 0; e < n; e++) {
                if (w.divs.get(e) == null && find(group, e) == root) {
                    dims.add(e);
                }
            }
            long c = countGroup(whole, w, dims, support);
            if (c < 0) {
                return -1;
            }
            total = ExactMath.mul(total, c);
            if (total == 0) {
                return 0;
            }
        }
        return total;
    }

    /** A dimension (not a div) with coefficient ±1 in the row, or -1. */
    private static int unitDimension(long[] row, Conjunction w) {
        for (int c = 0; c < w.nCols(); c++) {
            if (w.divs.get(c) == null && Math.abs(row[c]) == 1) {
                return c;
            }
        }
        return -1;
    }

    /** Turns the divs the row uses into plain columns constrained by their definitions. */
    private static void liftDivs(long[] row, Conjunction w) {
        for (int c = 0; c < w.nCols(); c++) {
            Div d = w.divs.get(c);
            if (row[c] != 0 && d != null) {
                for (long[] r : d.definingConstraints(c)) {
                    w.ineqs.add(r);
                }
                w.divs.set(c, null);
            }
        }
    }

    private static boolean usesDiv(long[] row, Conjunction w) {
        for (int c = 0; c < w.nCols(); c++) {
            if (row[c] != 0 && w.divs.get(c) != null) {
                return true;
            }
        }
        return false;
    }

    /** For every column, the dimensions its value depends on (itself for a dimension). */
    private static long[][] supports(Conjunction w) {
        int n = w.nCols();
        long[][] s = new long[n][n];
        boolean[] done = new boolean[n];
        for (int c = 0; c < n; c++) {
            if (w.divs.get(c) == null) {
                s[c][c] = 1;
                done[c] = true;
            }
        }
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int c = 0; c < n; c++) {
                if (done[c]) {
                    continue;
                }
                Div d = w.divs.get(c);
                boolean ready = true;
                for (int j = 0; j < n; j++) {
                    if (d.num(j) != 0 && !done[j]) {
                        ready = false;
                    }
                }
                if (ready) {
                    for (int j = 0; j < n; j++) {
                        if (d.num(j) != 0) {
                            for (int k = 0; k < n; k++) {
                                s[c][k] |= s[j][k];
                            }
                        }
                    }
                    done[c] = true;
                    progress = true;
                }
            }
        }
        return s;
    }

    private static int find(int[] g, int i) {
        while (g[i] != i) {
            g[i] = g[g[i]];
            i = g[i];
        }
        return i;
    }

    private static void union(int[] g, int a, int b) {
        g[find(g, a)] = find(g, b);
    }

    /** Counts the points of one independent group of dimensions. */
    private static long countGroup(BasicRelation whole, Conjunction w, List<Integer> dims, long[][] support) {
        int n = w.nCols();
        long[] lo = new long[n];
        long[] hi = new long[n];
        for (int d : dims) {
            long[] obj = new long[n + 1];
            obj[d] = 1;
            Long l = Optimizer.rationalLowerBound(whole, obj);
            obj[d] = -1;
            Long h = Optimizer.rationalLowerBound(whole, obj);
            if (l == null || h == null) {
                return -1;
            }
            lo[d] = l;
            hi[d] = ExactMath.neg(h);
            if (ExactMath.compare(lo[d], hi[d]) > 0) {
                return 0;
            }
        }
        // the rows of this group
        List<long[]> eqs = new ArrayList<>();
        List<long[]> ineqs = new ArrayList<>();
        for (int pass = 0; pass < 2; pass++) {
            for (long[] r : pass == 0 ? w.eqs : w.ineqs) {
                if (touches(r, dims, support)) {
                    (pass == 0 ? eqs : ineqs).add(r);
                }
            }
        }
        // order: dimensions that no div depends on go last, so the innermost can be an interval
        List<Integer> order = new ArrayList<>(dims);
        order.sort((a, b) -> Boolean.compare(!inDivSupport(w, a, support), !inDivSupport(w, b, support)));
        if (eqs.isEmpty() && allSingleDimension(ineqs, w)) {
            long c = 1;
            for (int d : dims) {
                c = ExactMath.mul(c, ExactMath.add(ExactMath.sub(hi[d], lo[d]), 1));
            }
            return c;
        }
        return new Scan(w, order, eqs, ineqs, lo, hi).count();
    }

    private static boolean touches(long[] r, List<Integer> dims, long[][] support) {
        for (int c = 0; c < r.length - 1; c++) {
            if (r[c] != 0) {
                for (int d : dims) {
                    if (support[c][d] != 0) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean inDivSupport(Conjunction w, int d, long[][] support) {
        for (int c = 0; c < w.nCols(); c++) {
            if (w.divs.get(c) != null && support[c][d] != 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean allSingleDimension(List<long[]> rows, Conjunction w) {
        for (long[] r : rows) {
            int used = 0;
            for (int c = 0; c < r.length - 1; c++) {
                if (r[c] != 0) {
                    if (w.divs.get(c) != null) {
                        return false;
                    }
                    used++;
                }
            }
            if (used > 1) {
                return false;
            }
        }
        return true;
    }

    /** Nested scan over a group's dimensions; the innermost is an interval when possible. */
    private static final class Scan {
        private final Conjunction w;
        private final int[] order;
        private final long[] lo;
        private final long[] hi;
        private final long[] val;
        private final List<List<long[]>> eqAt = new ArrayList<>();
        private final List<List<long[]>> inAt = new ArrayList<>();
        private final List<List<Integer>> divsAt = new ArrayList<>();
        private final boolean innermostInterval;
        private final long[][] divNum;

        Scan(Conjunction w, List<Integer> order, List<long[]> eqs, List<long[]> ineqs, long[] lo, long[] hi) {
            this.w = w;
            this.order = order.stream().mapToInt(Integer::intValue).toArray();
            this.lo = lo;
            this.hi = hi;
            this.val = new long[w.nCols()];
            this.divNum = new long[w.nCols()][];
            int k = this.order.length;
            int[] levelOf = new int[w.nCols()];
            Arrays.fill(levelOf, -1);
            for (int i = 0; i < k; i++) {
                levelOf[this.order[i]] = i;
                eqAt.add(new ArrayList<>());
                inAt.add(new ArrayList<>());
                divsAt.add(new ArrayList<>());
            }
            // divs: level = max level of what they use; evaluated in dependency order
            int[] divLevel = new int[w.nCols()];
            Arrays.fill(divLevel, -2);
            boolean progress = true;
            List<Integer> divOrder = new ArrayList<>();
            while (progress) {
                progress = false;
                for (int c = 0; c < w.nCols(); c++) {
                    Div d = w.divs.get(c);
                    if (d == null || divLevel[c] != -2) {
                        continue;
                    }
                    int lv = -1;
                    boolean ready = true;
                    for (int j = 0; j < w.nCols(); j++) {
                        if (d.num(j) != 0) {
                            if (w.divs.get(j) == null) {
                                lv = Math.max(lv, levelOf[j]);
                            } else if (divLevel[j] == -2) {
                                ready = false;
                            } else {
                                lv = Math.max(lv, divLevel[j]);
                            }
                        }
                    }
                    if (ready) {
                        divLevel[c] = lv;
                        divOrder.add(c);
                        progress = true;
                    }
                }
            }
            for (int c : divOrder) {
                Div dv = w.divs.get(c);
                divNum[c] = dv.numerator();
                if (divLevel[c] >= 0) {
                    divsAt.get(divLevel[c]).add(c);
                } else {
                    val[c] = ExactMath.floorDiv(dot(divNum[c], c), dv.denominator());
                }
            }
            boolean lastFree = true;
            for (int pass = 0; pass < 2; pass++) {
                for (long[] r : pass == 0 ? eqs : ineqs) {
                    int lv = -1;
                    for (int c = 0; c < r.length - 1; c++) {
                        if (r[c] != 0) {
                            lv = Math.max(lv, w.divs.get(c) == null ? levelOf[c] : divLevel[c]);
                        }
                    }
                    if (lv < 0) {
                        lv = 0;
                    }
                    (pass == 0 ? eqAt : inAt).get(lv).add(r);
                }
            }
            lastFree = divsAt.get(k - 1).isEmpty();
            this.innermostInterval = lastFree;
        }

        long count() {
            return count(0);
        }

        private long count(int level) {
            int d = order[level];
            int k = order.length;
            if (level == k - 1 && innermostInterval) {
                long l = lo[d];
                long h = hi[d];
                for (long[] r : inAt.get(level)) {
                    long a = r[d];
                    long rest = restValue(r, d);
                    if (a > 0) {
                        l = ExactMath.max(l, ExactMath.ceilDiv(ExactMath.neg(rest), a));
                    } else {
                        h = ExactMath.min(h, ExactMath.floorDiv(rest, ExactMath.neg(a)));
                    }
                }
                for (long[] r : eqAt.get(level)) {
                    long a = r[d];
                    long rest = restValue(r, d);
                    if (ExactMath.mod(rest, ExactMath.abs(a)) != 0) {
                        return 0;
                    }
                    long x = ExactMath.div(ExactMath.neg(rest), a);
                    l = ExactMath.max(l, x);
                    h = ExactMath.min(h, x);
                }
                Budget.tick(1);
                long n = ExactMath.add(ExactMath.sub(h, l), 1);
                return n > 0 ? n : 0;
            }
            long total = 0;
            for (long v = lo[d]; ExactMath.compare(v, hi[d]) <= 0; v = ExactMath.add(v, 1)) {
                Budget.tick(1);
                val[d] = v;
                for (int c : divsAt.get(level)) {
                    Div dv = w.divs.get(c);
                    val[c] = ExactMath.floorDiv(dot(divNum[c], c), dv.denominator());
                }
                if (!holds(level)) {
                    continue;
                }
                total = ExactMath.add(total, level == k - 1 ? 1 : count(level + 1));
            }
            return total;
        }

        private boolean holds(int level) {
            for (long[] r : eqAt.get(level)) {
                if (dot(r, -1) != 0) {
                    return false;
                }
            }
            for (long[] r : inAt.get(level)) {
                if (dot(r, -1) < 0) {
                    return false;
                }
            }
            return true;
        }

        private long dot(long[] r, int skip) {
            long s = r[r.length - 1];
            for (int c = 0; c < r.length - 1; c++) {
                if (r[c] != 0 && c != skip) {
                    s = ExactMath.add(s, ExactMath.mul(r[c], val[c]));
                }
            }
            return s;
        }

        private long restValue(long[] r, int d) {
            return dot(r, d);
        }
    }
}
