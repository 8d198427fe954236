package dev.tessera.polyhedral;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

/**
 * The exact integer engine, after Pugh's Omega test: equalities are solved by substitution
 * after a unimodular change of the plain locals (extended Euclid on columns, so no integer
 * point is lost or gained), inequalities by Fourier–Motzkin elimination when it is exact
 * (unit coefficients on one side), and otherwise by the dark shadow plus the "splinters"
 * {@code b·z = β + i, 0 <= i <= (a·b - a - b)/a} of every lower bound {@code β <= b·z}, whose union
 * is the exact integer projection.
 *
 * <p>Two services: {@link #isSatisfiable} (is there an integer point, treating every column
 * as existential) and {@link #defineLocals} (rewrite a conjunction into a union of
 * conjunctions whose locals all have {@link Div} definitions — the form that set difference
 * needs, because then the locals are functions of the fixed columns). Example: the footprint
 * {@code { [h] : ∃ o, r : h = 2o + r, 0 <= o < 4, 0 <= r < 2 }} becomes {@code { [h] : 0 <= h <= 7 }}.
 */
public final class Omega {
    /** Splinter counts are ranked up to this; beyond it no choice is cheap, and the score stays a {@code long}. */
    private static final long SPLINTER_SCORE_CAP = 1L << 40;
    /**
     * Operations allowed for one linear program of {@link Redundancy} (its feasibility, or its
     * redundancy tests): beyond that the engine goes on without it, so a large conjunction cannot
     * spend the caller's budget on an optional simplification.
     */
    static final long LP_BUDGET = 100_000L;

    private Omega() {}

    /** True iff the conjunction has an integer point (over all its columns, parameters included). */
    public static boolean isSatisfiable(BasicRelation b) {
        return Budget.guard(() -> satisfiable(b));
    }

    private static boolean satisfiable(BasicRelation b) {
        if (b.isObviouslyEmpty()) {
            return false;
        }
        Conjunction c = Conjunction.of(b);
        c.mergeDuplicateDivs();
        while (removeUnusedDivs(c)) {
            // a div no row uses is a function of the other columns: it never decides feasibility
        }
        return sat(Conjunction.allExistential(c), true);
    }

    /**
     * Integer feasibility of {@code w}. A {@code top} call (a conjunction as the caller asked it)
     * first checks for a rational point, since most pieces of a set difference have none; the
     * inner calls (shadows, splinters) check it only before they split, where the same linear
     * program also removes the redundant bounds of the variable to split.
     */
    private static boolean sat(Conjunction w, boolean top) {
        while (true) {
            Budget.tick(1);
            if (!w.normalize() || !w.pruneByBounds()) {
                return false;
            }
            if (!w.eqs.isEmpty()) {
                reduceEquality(w, w.eqs.get(0));
                while (substituteUnitEquality(w)) {
                    // the other unit equalities too, before the next (costlier) normalization
                }
                continue;
            }
            if (w.ineqs.isEmpty()) {
                return true;
            }
            int v = chooseVariable(w);
            if (v < 0) {
                return true;
            }
            Bounds bd = bounds(w, v);
            if (bd.lower.isEmpty() || bd.upper.isEmpty()) {
                w.ineqs.removeIf(r -> r[v] != 0);
                w.removeColumn(v);
                continue;
            }
            if (bd.exact()) {
                fourierMotzkin(w, v, bd, false);
                continue;
            }
            Redundancy lp = top ? linearProgram(w, List.of()) : null; // null: not built, or over its budget
            if (lp != null && !lp.hasRationalPoint()) {
                return false;
            }
            long[][] slab = thinnestSlab(w);
            if (slab != null && ExactMath.compare(slabWidth(slab, w.nCols()), splinterCount(bd, v)) < 0) {
                return satSlab(w, slab);
            }
            Conjunction dark = w.copy();
            fourierMotzkin(dark, v, bounds(dark, v), true);
            if (sat(dark, false)) {
                return true;
            }
            // the rest splits on the bounds of v: first drop those that would only multiply the pieces
            if (!top) {
                lp = linearProgram(w, List.of());
                if (lp != null && !lp.hasRationalPoint()) {
                    return false;
                }
            }
            List<long[]> kept = lp == null ? w.ineqs : essentialWithin(lp, r -> r[v] != 0);
            if (kept.size() < w.ineqs.size()) {
                // same integer points with fewer rows; the test starts over on them, since the
                // splinters are complete only together with the dark shadow of the same bounds
                // (dropping rows can only enlarge the dark shadow tested above)
                w.ineqs.retainAll(kept);
                continue;
            }
            Conjunction real = w.copy();
            fourierMotzkin(real, v, bounds(real, v), false);
            if (!sat(real, false)) {
                return false;
            }
            long maxUp = maxUpper(bd, v);
            int wc = w.nCols();
            for (long[] lo : bd.lower) {
                long last = lastSplinter(maxUp, lo[v]);
                for (long i = 0; ExactMath.compare(i, last) <= 0; i++) { // budget-bound, so i stays far below 2^62
                    if (sat(splinter(w, lo, i, wc), false)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /**
     * The pair of opposite rows {@code e + c1 >= 0}, {@code -e + c2 >= 0} with the smallest width
     * {@code c1 + c2} (a slab of {@code c1 + c2 + 1} parallel hyperplanes), or null when no
     * two rows are opposite.
     */
    private static long[][] thinnestSlab(Conjunction w) {
        int wc = w.nCols();
        long[][] best = null;
        for (int i = 0; i < w.ineqs.size(); i++) {
            long[] a = w.ineqs.get(i);
            for (int j = i + 1; j < w.ineqs.size(); j++) {
                long[] b = w.ineqs.get(j);
                if (opposite(a, b, wc) && (best == null || ExactMath.compare(slabWidth(new long[][] {a, b}, wc), slabWidth(best, wc)) < 0)) {
                    best = new long[][] {a, b};
                }
            }
        }
        return best;
    }

    private static long slabWidth(long[][] slab, int wc) {
        return ExactMath.add(slab[0][wc], slab[1][wc]);
    }

    /**
     * Integer feasibility split over the hyperplanes of a slab {@code 0 <= e + c1 <= c1 + c2}: one
     * equality {@code e + c1 = t} for each {@code t} (an exact, disjoint cover of the integer
     * points). Each equality then removes a column by a unimodular substitution, which is far
     * cheaper than splintering a variable with large coefficients.
     */
    private static boolean satSlab(Conjunction w, long[][] slab) {
        int wc = w.nCols();
        long width = slabWidth(slab, wc);
        for (long t = 0; ExactMath.compare(t, width) <= 0; t++) { // width is below the splinter count, which the budget bounds
            if (sat(splinter(w, slab[0], t, wc), false)) {
                return true;
            }
        }
        return false;
    }

    /** The number of splinters of variable {@code v} (see {@link #lastSplinter}), saturated at {@link #SPLINTER_SCORE_CAP}. */
    private static long splinterCount(Bounds bd, int v) {
        long maxUp = maxUpper(bd, v);
        long n = 0;
        for (long[] lo : bd.lower) {
            n = Math.min(SPLINTER_SCORE_CAP, n + 1 + Math.max(0, ExactMath.saturatedLong(lastSplinter(maxUp, lo[v]), SPLINTER_SCORE_CAP)));
        }
        return n;
    }

    /**
     * Rewrites {@code b} into a union of conjunctions over the same fixed columns, equal to it
     * as a set of integer points, in which every local has a {@link Div} definition.
     * Conjunctions without integer points are dropped.
     */
    public static List<BasicRelation> defineLocals(BasicRelation b) {
        return Budget.guard(() -> definedPieces(b));
    }

    private static List<BasicRelation> definedPieces(BasicRelation b) {
        List<BasicRelation> out = new ArrayList<>();
        Deque<Conjunction> work = new ArrayDeque<>();
        Conjunction start = Conjunction.of(b);
        start.mergeDuplicateDivs();
        start.undefineDivsOnPlainLocals();
        work.push(start);
        while (!work.isEmpty()) {
            Conjunction w = work.pop();
            Budget.tick(1);
            if (!w.normalize()) {
                continue;
            }
            if (removeUnusedPlain(w)) {
                work.push(w);
                continue;
            }
            long[] eq = equalityWithPlain(w);
            if (eq != null) {
                reduceEquality(w, eq);
                work.push(w);
                continue;
            }
            if (detectFloor(w)) {
                work.push(w);
                continue;
            }
            int v = chooseVariable(w);
            if (v < 0) {
                if (isSatisfiable(w.toBasic())) {
                    out.add(withoutRedundantRows(w)); // only for the pieces kept: most are empty
                }
                continue;
            }
            Bounds bd = bounds(w, v);
            if (bd.lower.isEmpty() || bd.upper.isEmpty()) {
                w.ineqs.removeIf(r -> r[v] != 0);
                w.removeColumn(v);
                work.push(w);
            } else if (bd.exact()) {
                fourierMotzkin(w, v, bd, false);
                work.push(w);
            } else {
                for (Conjunction s : splinters(w, v, bd)) {
                    work.push(s);
                }
                fourierMotzkin(w, v, bd, true);
                work.push(w);
            }
        }
        return out;
    }

    /**
     * {@code w}, which has an integer point, as a relation without its redundant inequalities
     * ({@link Redundancy}, the div definitions taken as known).
     */
    private static BasicRelation withoutRedundantRows(Conjunction w) {
        List<long[]> divRows = new ArrayList<>();
        for (int k = 0; k < w.divs.size(); k++) {
            Div d = w.divs.get(k);
            if (d != null) {
                divRows.addAll(List.of(d.definingConstraints(w.nFixed + k)));
            }
        }
        Redundancy lp = linearProgram(w, divRows);
        List<long[]> kept = lp != null && lp.hasRationalPoint() ? essentialWithin(lp, r -> true) : w.ineqs;
        return new BasicRelation(w.nFixed, w.eqs, kept, w.divs);
    }

    /**
     * The linear program of {@code w} ({@link Redundancy#of}), or null when building it takes
     * more than {@link #LP_BUDGET} operations: the engine uses it only to cut work short, so it
     * goes on without it.
     */
    private static Redundancy linearProgram(Conjunction w, List<long[]> context) {
        try {
            return Budget.run(LP_BUDGET, () -> Redundancy.of(w.eqs, w.ineqs, context, w.nCols()));
        } catch (BudgetExceededException e) {
            return null;
        }
    }

    /** {@link Redundancy#essential}, or every row when the tests take more than {@link #LP_BUDGET} operations. */
    private static List<long[]> essentialWithin(Redundancy lp, Predicate<long[]> candidate) {
        try {
            return Budget.run(LP_BUDGET, () -> lp.essential(candidate));
        } catch (BudgetExceededException e) {
            return lp.ineqs();
        }
    }

    /**
     * Exact eliminations that never split: plain locals solved by unit equalities, plain
     * locals bounded on one side only, exact Fourier–Motzkin that does not grow the row count,
     * unused locals. What remains keeps its locals.
     */
    public static BasicRelation simplify(BasicRelation b) {
        return Budget.guard(() -> simplified(b, 0));
    }

    /**
     * As {@link #simplify}, and an exact Fourier–Motzkin step is also taken when it makes up to
     * {@code maxPairs} rows from the bounds of one local (lower × upper bounds). For a projection
     * whose locals have unit coefficients, as {@code ∃ k : w < k < r} over tiled schedules, this
     * leaves a conjunction without plain locals, which set difference then negates row by row
     * instead of first splitting the locals into definitions. Example: {@code ∃ e : 0 <= e,
     * i + 1 <= e, 8q <= e, e <= 12, e <= o - 1, e <= 8q + 7} becomes the nine pairwise rows
     * ({@code i + 2 <= o}, {@code 8q <= o - 1}, …), most of which normalization then drops.
     */
    public static BasicRelation simplifyEliminating(BasicRelation b, int maxPairs) {
        return Budget.guard(() -> simplified(b, maxPairs));
    }

    private static BasicRelation simplified(BasicRelation b, int maxPairs) {
        Conjunction w = Conjunction.of(b);
        w.mergeDuplicateDivs();
        w.undefineDivsOnPlainLocals();
        while (true) {
            if (!w.normalize()) {
                return BasicRelation.empty(b.nFixed());
            }
            if (removeUnusedPlain(w) || removeUnusedDivs(w)) {
                continue;
            }
            if (substituteUnitEquality(w)) {
                continue;
            }
            if (detectFloor(w)) {
                continue;
            }
            boolean progress = false;
            for (int v = w.nFixed; v < w.nCols() && !progress; v++) {
                if (!w.isPlain(v) || inAnyEquality(w, v)) {
                    continue;
                }
                Bounds bd = bounds(w, v);
                if (bd.lower.isEmpty() || bd.upper.isEmpty()) {
                    final int c = v;
                    w.ineqs.removeIf(r -> r[c] != 0);
                    w.removeColumn(v);
                    progress = true;
                } else if (bd.exact() && bd.lower.size() * bd.upper.size()
                        <= Math.max(bd.lower.size() + bd.upper.size(), maxPairs)) {
                    fourierMotzkin(w, v, bd, false);
                    progress = true;
                }
            }
            if (!progress) {
                return w.toBasic();
            }
        }
    }

    private static boolean inAnyEquality(Conjunction w, int v) {
        for (long[] r : w.eqs) {
            if (r[v] != 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean substituteUnitEquality(Conjunction w) {
        for (long[] e : w.eqs) {
            for (int c = w.nFixed; c < w.nCols(); c++) {
                if (w.isPlain(c) && Math.abs(e[c]) == 1) {
                    w.substitute(c, e);
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean removeUnusedPlain(Conjunction w) {
        for (int c = w.nCols() - 1; c >= w.nFixed; c--) {
            if (w.isPlain(c) && !w.usedAnywhere(c)) {
                w.removeColumn(c);
                return true;
            }
        }
        return false;
    }

    private static boolean removeUnusedDivs(Conjunction w) {
        for (int c = w.nCols() - 1; c >= w.nFixed; c--) {
            if (!w.isPlain(c) && !w.usedAnywhere(c)) {
                w.removeColumn(c);
                return true;
            }
        }
        return false;
    }

    private static long[] equalityWithPlain(Conjunction w) {
        for (long[] e : w.eqs) {
            for (int c = w.nFixed; c < w.nCols(); c++) {
                if (w.isPlain(c) && e[c] != 0) {
                    return e;
                }
            }
        }
        return null;
    }

    /**
     * Solves equality {@code e} for its plain locals: a unit coefficient is substituted away;
     * otherwise extended Euclid on the plain columns concentrates them into one column
     * {@code v} with coefficient {@code g}; {@code v} is then substituted ({@code |g| = 1}) or
     * defined as the exact quotient {@code v = floor(-rest/g)}, a stride kept as an equality.
     */
    private static void reduceEquality(Conjunction w, long[] e) {
        int w0 = w.nCols();
        List<Integer> plain = new ArrayList<>();
        for (int c = w.nFixed; c < w0; c++) {
            if (w.isPlain(c) && e[c] != 0) {
                if (Math.abs(e[c]) == 1) {
                    w.substitute(c, e);
                    return;
                }
                plain.add(c);
            }
        }
        int a = plain.get(0);
        for (int k = 1; k < plain.size(); k++) {
            int b = plain.get(k);
            while (e[b] != 0) {
                long q = ExactMath.div(e[a], e[b]);
                w.columnOp(a, b, q);
                int t = a;
                a = b;
                b = t;
            }
        }
        if (Math.abs(e[a]) == 1) {
            w.substitute(a, e);
            return;
        }
        long g = e[a];
        long[] num = new long[w0 + 1];
        for (int i = 0; i <= w0; i++) {
            num[i] = i == a ? 0 : (g > 0 ? ExactMath.neg(e[i]) : e[i]);
        }
        w.divs.set(a - w.nFixed, new Div(num, Math.abs(g)));
    }

    /**
     * Recognizes {@code e - c2 <= d·v <= e + c1} with {@code c1 + c2 <= d - 1} for a plain
     * local {@code v}: then {@code v = floor((e + c1)/d)} and the upper row is its definition.
     */
    private static boolean detectFloor(Conjunction w) {
        int wc = w.nCols();
        for (int v = w.nFixed; v < wc; v++) {
            if (!w.isPlain(v)) {
                continue;
            }
            for (long[] up : w.ineqs) {
                if (up[v] >= -1) {
                    continue;
                }
                long d = ExactMath.neg(up[v]);
                boolean ok = true;
                for (int c = w.nFixed; c < wc && ok; c++) {
                    if (c != v && up[c] != 0 && w.isPlain(c)) {
                        ok = false;
                    }
                }
                if (!ok) {
                    continue;
                }
                for (long[] lo : w.ineqs) {
                    if (lo[v] != d || !opposite(lo, up, wc)) {
                        continue;
                    }
                    long width = ExactMath.add(lo[wc], up[wc]);
                    long dMinus1 = ExactMath.sub(d, 1);
                    if (ExactMath.compare(width, dMinus1) > 0) {
                        continue;
                    }
                    long[] num = up.clone();
                    num[v] = 0;
                    w.divs.set(v - w.nFixed, new Div(num, d));
                    w.ineqs.remove(up);
                    if (width == dMinus1) { // codes are equal exactly when values are
                        w.ineqs.remove(lo);
                    }
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean opposite(long[] a, long[] b, int wc) {
        for (int i = 0; i < wc; i++) {
            if (a[i] != ExactMath.neg(b[i])) {
                return false;
            }
        }
        return true;
    }

    /** Lower rows ({@code r[v] > 0}) and upper rows ({@code r[v] < 0}) of column {@code v}. */
    private record Bounds(int col, List<long[]> lower, List<long[]> upper) {
        boolean exact() {
            boolean unitLower = true;
            for (long[] r : lower) {
                unitLower &= Math.abs(r[col]) == 1;
            }
            boolean unitUpper = true;
            for (long[] r : upper) {
                unitUpper &= Math.abs(r[col]) == 1;
            }
            return unitLower || unitUpper;
        }
    }

    private static Bounds bounds(Conjunction w, int v) {
        List<long[]> lo = new ArrayList<>();
        List<long[]> up = new ArrayList<>();
        for (long[] r : w.ineqs) {
            if (r[v] > 0) {
                lo.add(r);
            } else if (r[v] < 0) {
                up.add(r);
            }
        }
        return new Bounds(v, lo, up);
    }

    /**
     * The plain local (every column, when deciding feasibility) cheapest to eliminate from the
     * inequalities: one-sided first, then exact eliminations by the number of new rows, then
     * inexact ones by their number of splinters. -1 when no plain local is used.
     */
    private static int chooseVariable(Conjunction w) {
        int best = -1;
        long bestScore = Long.MAX_VALUE;
        for (int v = w.nFixed; v < w.nCols(); v++) {
            if (!w.isPlain(v)) {
                continue;
            }
            int lo = 0;
            int up = 0;
            boolean unitLo = true;
            boolean unitUp = true;
            long maxUp = 0;
            long splinters = 0;
            for (long[] r : w.ineqs) {
                if (r[v] > 0) {
                    lo++;
                    unitLo &= r[v] == 1;
                } else if (r[v] < 0) {
                    up++;
                    unitUp &= r[v] == -1;
                    maxUp = ExactMath.max(maxUp, ExactMath.neg(r[v]));
                }
            }
            if (lo + up == 0) {
                continue;
            }
            long score;
            if (lo == 0 || up == 0) {
                score = 0;
            } else if (unitLo || unitUp) {
                score = 1 + (long) lo * up;
            } else {
                for (long[] r : w.ineqs) {
                    if (r[v] > 0) {
                        long n = ExactMath.div(ExactMath.sub(ExactMath.sub(ExactMath.mul(maxUp, r[v]), maxUp), r[v]), maxUp);
                        splinters = Math.min(SPLINTER_SCORE_CAP, splinters + Math.max(0, ExactMath.saturatedLong(n, SPLINTER_SCORE_CAP) + 1));
                    }
                }
                score = 1_000_000L + (long) lo * up + 1000 * splinters;
            }
            if (score < bestScore) {
                bestScore = score;
                best = v;
            }
        }
        return best;
    }

    /** Replaces the rows using {@code v} by all lower/upper combinations; {@code dark}: the dark shadow. */
    private static void fourierMotzkin(Conjunction w, int v, Bounds bd, boolean dark) {
        int wc = w.nCols();
        List<long[]> fresh = new ArrayList<>();
        for (long[] lo : bd.lower) {
            long b = lo[v];
            for (long[] up : bd.upper) {
                long a = ExactMath.neg(up[v]);
                long[] r = new long[wc + 1];
                for (int i = 0; i <= wc; i++) {
                    r[i] = ExactMath.add(ExactMath.mul(a, lo[i]), ExactMath.mul(b, up[i]));
                }
                if (dark) {
                    r[wc] = ExactMath.sub(r[wc], ExactMath.mul(ExactMath.sub(a, 1), ExactMath.sub(b, 1)));
                }
                fresh.add(r);
                Budget.tick(wc + 1); // weighted by the row size, so the budget also bounds memory
            }
        }
        w.ineqs.removeIf(r -> r[v] != 0);
        w.ineqs.addAll(fresh);
        w.removeColumn(v);
    }

    /**
     * The splinters of {@code v}, for defining locals. The splinters {@code b·v = β + i},
     * {@code 0 <= i <= L}, of a lower bound {@code β <= b·v} together are {@code w ∧ b·v <= β + L};
     * when {@code β} uses no other plain local this one copy is returned, and since
     * {@code L <= b - 1} the pair {@code β <= b·v <= β + L} then defines {@code v = floor((β + L)/b)}
     * ({@link #detectFloor}): one piece with a div instead of {@code L + 1} pieces. Otherwise
     * each splinter equality {@code lower - i = 0} gets its own copy.
     */
    private static List<Conjunction> splinters(Conjunction w, int v, Bounds bd) {
        long maxUp = maxUpper(bd, v);
        List<Conjunction> out = new ArrayList<>();
        int wc = w.nCols();
        for (long[] lo : bd.lower) {
            long last = lastSplinter(maxUp, lo[v]);
            if (ExactMath.compare(last, 0) < 0) {
                continue;
            }
            if (onlyPlainLocal(w, lo, v)) {
                Budget.tick(w.eqs.size() + w.ineqs.size() + 1L);
                Conjunction s = w.copy();
                long[] up = negate(lo);
                up[wc] = ExactMath.add(up[wc], last);
                s.ineqs.add(up);
                out.add(s);
                continue;
            }
            for (long i = 0; ExactMath.compare(i, last) <= 0; i++) { // each copy is charged to the budget
                out.add(splinter(w, lo, i, wc));
            }
        }
        return out;
    }

    /** True when {@code v} is the only plain local row {@code r} uses. */
    private static boolean onlyPlainLocal(Conjunction w, long[] r, int v) {
        for (int c = w.nFixed; c < w.nCols(); c++) {
            if (c != v && r[c] != 0 && w.isPlain(c)) {
                return false;
            }
        }
        return true;
    }

    private static long[] negate(long[] r) {
        long[] o = new long[r.length];
        for (int i = 0; i < r.length; i++) {
            o[i] = ExactMath.neg(r[i]);
        }
        return o;
    }

    private static long maxUpper(Bounds bd, int v) {
        long maxUp = 0;
        for (long[] up : bd.upper) {
            maxUp = ExactMath.max(maxUp, ExactMath.neg(up[v]));
        }
        return maxUp;
    }

    /** The last {@code i} of the splinters {@code b·z = β + i} of a lower bound with coefficient {@code b}. */
    private static long lastSplinter(long maxUp, long b) {
        return ExactMath.floorDiv(ExactMath.sub(ExactMath.mul(maxUp, b), ExactMath.add(maxUp, b)), maxUp);
    }

    private static Conjunction splinter(Conjunction w, long[] lower, long i, int wc) {
        Budget.tick(w.eqs.size() + w.ineqs.size() + 1L); // a copy: the budget bounds memory too
        Conjunction s = w.copy();
        long[] e = lower.clone();
        e[wc] = ExactMath.sub(e[wc], i);
        s.eqs.add(e);
        return s;
    }
}
