package dev.tessera.polyhedral;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * Redundant-inequality removal by exact rational linear programming. An inequality
 * {@code r >= 0} of a conjunction is dropped when the others bound it below by more than
 * {@code -1}: every column is an integer and {@code r} has integer coefficients, so at every
 * integer point of the others {@code r} is an integer greater than {@code -1}, hence
 * {@code r >= 0}. The integer points are therefore unchanged (a rationally implied row,
 * minimum {@code >= 0}, is the common case). Rows are tested one at a time against the rows
 * still kept, so two copies of one bound never remove each other.
 *
 * <p>The linear programs run on a dense primal simplex over integer rows ({@link ExactMath}
 * codes, so {@code long} arithmetic unless values grow; Dantzig's rule, with Bland's after a
 * run of degenerate pivots so it cannot cycle): inequality {@code i} gets a slack
 * {@code s_i = r_i(x) >= 0}, the free columns {@code x} are eliminated (Gauss–Jordan), one
 * phase-1 solve finds a feasible basis of the whole conjunction, then the minimum of
 * {@code s_i} with {@code s_i} freed (a column {@code s_i⁻} added) is found from that basis. A
 * freed slack stays free when its row is dropped, which is exactly removing the row. Every row
 * operation is charged to the {@link Budget}.
 *
 * <p>Example: in {@code { x, y : x >= 0, y >= 0, x + y >= -3, 2x + y <= 10, x <= 5 }} the row
 * {@code x + y >= -3} (minimum 0 over the others) and {@code x <= 5} (implied by
 * {@code 2x + y <= 10, y >= 0}) go; with {@code 3x >= 1} beside {@code x >= 0} in
 * {@code { x : 3x >= 1, x >= 0 }}, the row {@code x >= 0} goes (the minimum of {@code x} is
 * {@code 1/3}) but {@code 3x >= 1} stays (its minimum over {@code x >= 0} is {@code -1}).
 */
final class Redundancy {
    private final List<long[]> eqs;
    private final List<long[]> ineqs;
    /** The inequalities, then the context rows. */
    private final List<long[]> rows;
    private final int w;
    /** A feasible tableau of the whole conjunction, null when it has no rational point. */
    private final Tableau feasible;

    private Redundancy(List<long[]> eqs, List<long[]> ineqs, List<long[]> rows, int w, Tableau feasible) {
        this.eqs = eqs;
        this.ineqs = ineqs;
        this.rows = rows;
        this.w = w;
        this.feasible = feasible;
    }

    /**
     * The linear program of the conjunction of {@code eqs} and {@code ineqs} (rows over {@code w}
     * columns and a constant) with the {@code context} inequalities, which hold at every point
     * (the defining rows of divs): they take part in the tests but are never dropped or returned.
     * The rows must not change while the result is used.
     */
    static Redundancy of(List<long[]> eqs, List<long[]> ineqs, List<long[]> context, int w) {
        List<long[]> rows = new ArrayList<>(ineqs);
        rows.addAll(context);
        return new Redundancy(List.copyOf(eqs), List.copyOf(ineqs), rows, w, Tableau.feasible(eqs, rows, w));
    }

    /** False when the conjunction has no rational point (so no integer point). */
    boolean hasRationalPoint() {
        return feasible != null;
    }

    /**
     * The inequalities that are not redundant, in their order; only rows accepted by
     * {@code candidate} are tested (the others are kept). Needs a rational point.
     */
    List<long[]> essential(Predicate<long[]> candidate) {
        Tableau t = feasible;
        List<long[]> kept = new ArrayList<>();
        for (int i = 0; i < ineqs.size(); i++) {
            if (!candidate.test(ineqs.get(i)) || soleBound(ineqs.get(i), eqs, rows, w)) {
                kept.add(ineqs.get(i));
                continue;
            }
            Tableau freed = t.withSlackFreed(i);
            long[] min = freed.minimizeSlack(i);
            // min == null: unbounded below; else min = num/den with den > 0
            if (min != null && ExactMath.signum(ExactMath.add(min[0], min[1])) > 0) { // min > -1
                t = freed;
            } else {
                kept.add(ineqs.get(i));
            }
        }
        return kept;
    }

    /** The inequalities of the conjunction (without the context rows). */
    List<long[]> ineqs() {
        return ineqs;
    }

    /**
     * True when {@code r} is the only row of {@code rows} bounding some column on its side (the
     * only positive, or the only negative, coefficient of a column no equality uses): moving
     * that column away lowers {@code r} without limit and violates no other row, so {@code r}
     * is not redundant. A cheap test that spares most linear programs.
     */
    private static boolean soleBound(long[] r, List<long[]> eqs, List<long[]> rows, int w) {
        for (int c = 0; c < w; c++) {
            if (r[c] == 0 || usedBy(eqs, c)) {
                continue;
            }
            int sign = Long.signum(r[c]);
            boolean alone = true;
            for (long[] o : rows) {
                if (o != r && Long.signum(o[c]) == sign) {
                    alone = false;
                    break;
                }
            }
            if (alone) {
                return true;
            }
        }
        return false;
    }

    private static boolean usedBy(List<long[]> rows, int c) {
        for (long[] e : rows) {
            if (e[c] != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * A simplex tableau: rows {@code Σ T[j]·y_j = rhs} over columns {@code y >= 0}, kept integral
     * (a row may be scaled freely), one basic column per row with a positive coefficient, every
     * {@code rhs >= 0} (a feasible basis).
     */
    private static final class Tableau {
        /** Degenerate pivots in a row after which the pivoting rule switches to Bland's. */
        private static final int DEGENERATE_STREAK = 20;
        private final List<long[]> rows; // length nCols + 1, rhs last
        private final List<Integer> basis;
        private final int nCols;
        /** Column of the slack of inequality i, and of its freed negative part (or -1). */
        private final int[] slackCol;
        private final int[] freedCol;

        private Tableau(List<long[]> rows, List<Integer> basis, int nCols, int[] slackCol, int[] freedCol) {
            this.rows = rows;
            this.basis = basis;
            this.nCols = nCols;
            this.slackCol = slackCol;
            this.freedCol = freedCol;
        }

        /**
         * The tableau over the slacks: each inequality {@code r_i(x) = s_i} and equality
         * {@code e(x) = 0} is a row over {@code [x | s]}; every column of {@code x} (free) is
         * eliminated by pivoting it on one row, which is then dropped (it only says what that
         * {@code x} is), so the rows left constrain the slacks alone. Phase 1 over
         * {@code [s | artificials]} then finds a feasible basis: null when there is none (no
         * rational point), else a tableau without artificial columns.
         */
        static Tableau feasible(List<long[]> eqs, List<long[]> ineqs, int w) {
            int m = ineqs.size();
            List<long[]> rows = new ArrayList<>();
            List<Boolean> isEq = new ArrayList<>();
            for (int i = 0; i < m + eqs.size(); i++) {
                long[] r = i < m ? ineqs.get(i) : eqs.get(i - m);
                long[] row = new long[w + m + 1]; // r·x − s_i = −c
                System.arraycopy(r, 0, row, 0, w);
                if (i < m) {
                    row[w + i] = -1;
                }
                row[w + m] = ExactMath.neg(r[w]);
                rows.add(row);
                isEq.add(i >= m);
            }
            for (int c = 0; c < w; c++) {
                int p = -1;
                for (int i = 0; i < rows.size(); i++) {
                    if (rows.get(i)[c] != 0 && (p < 0 || isEq.get(i) && !isEq.get(p))) {
                        p = i;
                    }
                }
                if (p < 0) {
                    continue;
                }
                long[] pr = rows.remove(p);
                isEq.remove(p);
                for (long[] row : rows) {
                    long f = row[c];
                    if (f == 0) {
                        continue;
                    }
                    long a = pr[c];
                    long sa = ExactMath.signum(a) < 0 ? -1 : 1; // scale rows by |a| so slack signs stay
                    for (int k = 0; k <= w + m; k++) {
                        row[k] = ExactMath.sub(ExactMath.mul(row[k], ExactMath.abs(a)), ExactMath.mul(ExactMath.mul(pr[k], f), sa));
                    }
                    normalize(row);
                    Budget.tick(w + m + 1);
                }
            }
            // rows over [s | rhs] now; a remaining inequality row holds its own slack (coefficient < 0) and no other row does
            List<long[]> left = new ArrayList<>();
            List<Integer> own = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                long[] row = rows.get(i);
                int ownSlack = -1;
                boolean zero = true;
                for (int k = 0; k < m; k++) {
                    if (row[w + k] != 0) {
                        zero = false;
                        if (!isEq.get(i) && ExactMath.signum(row[w + k]) < 0 && onlyIn(rows, i, w + k)) {
                            ownSlack = k;
                        }
                    }
                }
                if (zero) {
                    if (row[w + m] != 0) {
                        return null; // 0 = nonzero
                    }
                    continue;
                }
                long[] r = Arrays.copyOfRange(row, w, w + m + 1);
                left.add(r);
                own.add(ownSlack);
            }
            // a row with its own slack starts with that slack basic, made positive; the other rows
            // (equalities) get an artificial each; the rows whose slack starts negative share one
            // more artificial, pivoted in on the most negative row, which makes every row feasible
            int nRows = left.size();
            int[] artificial = new int[nRows];
            int nArt = 0;
            boolean anyNegative = false;
            for (int i = 0; i < nRows; i++) {
                artificial[i] = own.get(i) >= 0 ? -1 : m + nArt++;
                anyNegative |= own.get(i) >= 0 && ExactMath.signum(left.get(i)[m]) > 0;
            }
            int shared = anyNegative ? m + nArt++ : -1;
            int nCols = m + nArt;
            List<long[]> tab = new ArrayList<>();
            List<Integer> basis = new ArrayList<>();
            int mostNegative = -1;
            for (int i = 0; i < nRows; i++) {
                long[] r = left.get(i);
                long[] row = new long[nCols + 1];
                System.arraycopy(r, 0, row, 0, m);
                row[nCols] = r[m];
                if (artificial[i] < 0 || ExactMath.signum(row[nCols]) < 0) { // slack coefficient positive, or rhs >= 0
                    for (int c = 0; c <= nCols; c++) {
                        row[c] = ExactMath.neg(row[c]);
                    }
                }
                if (artificial[i] >= 0) {
                    row[artificial[i]] = 1;
                } else if (ExactMath.signum(row[nCols]) < 0) {
                    row[shared] = ExactMath.neg(row[own.get(i)]); // slack = (rhs + a·coefficient)/coefficient >= 0 once a >= -rhs/coefficient
                    if (mostNegative < 0 || ExactMath.compare(ExactMath.mul(row[nCols], tab.get(mostNegative)[own.get(mostNegative)]),
                            ExactMath.mul(tab.get(mostNegative)[nCols], row[own.get(i)])) < 0) {
                        mostNegative = i;
                    }
                }
                tab.add(row);
                basis.add(artificial[i] >= 0 ? artificial[i] : own.get(i));
            }
            int[] slack = new int[m];
            for (int i = 0; i < m; i++) {
                slack[i] = i;
            }
            int[] freed = new int[m];
            Arrays.fill(freed, -1);
            Tableau t = new Tableau(tab, basis, nCols, slack, freed);
            if (shared >= 0) {
                t.pivot(mostNegative, shared, null, null);
            }
            // phase-1 objective: minimize the sum of the artificials
            long[] obj = new long[nCols + 1];
            for (int i = 0; i < nRows; i++) {
                if (artificial[i] < 0) {
                    continue;
                }
                long[] row = tab.get(i); // Σ_j row[j]·y_j + art = rhs
                for (int c = 0; c < m; c++) {
                    obj[c] = ExactMath.sub(obj[c], row[c]);
                }
                obj[nCols] = ExactMath.add(obj[nCols], row[nCols]);
            }
            long[] objDen = {1};
            if (shared >= 0) {
                obj[shared] = 1;
                t.eliminate(obj, objDen, tab.get(mostNegative), shared);
            }
            if (!t.minimize(obj, objDen, m, false)) {
                throw new IllegalStateException("phase 1 cannot be unbounded");
            }
            if (obj[nCols] != 0) {
                return null;
            }
            return t.withoutArtificials(m);
        }

        private static boolean onlyIn(List<long[]> rows, int i, int col) {
            for (int k = 0; k < rows.size(); k++) {
                if (k != i && rows.get(k)[col] != 0) {
                    return false;
                }
            }
            return true;
        }

        /** Drives artificial columns ({@code >= base}) out of the basis, drops dependent rows and the columns. */
        private Tableau withoutArtificials(int base) {
            for (int i = rows.size() - 1; i >= 0; i--) {
                if (basis.get(i) < base) {
                    continue;
                }
                long[] row = rows.get(i);
                int enter = -1;
                for (int c = 0; c < base && enter < 0; c++) {
                    if (row[c] != 0) {
                        enter = c;
                    }
                }
                if (enter < 0) {
                    rows.remove(i); // a linear combination of the other rows
                    basis.remove(i);
                } else {
                    pivot(i, enter, null, null); // its rhs is 0, so feasibility is kept
                }
            }
            List<long[]> cut = new ArrayList<>();
            for (long[] row : rows) {
                long[] r = Arrays.copyOf(row, base + 1);
                r[base] = row[nCols];
                cut.add(r);
            }
            return new Tableau(cut, new ArrayList<>(basis), base, slackCol.clone(), freedCol.clone());
        }

        /** A copy with a column {@code s_i⁻} (the negated column of {@code s_i}) appended: inequality i no longer constrains. */
        Tableau withSlackFreed(int i) {
            int n = nCols + 1;
            List<long[]> rs = new ArrayList<>();
            int s = slackCol[i];
            for (long[] row : rows) {
                long[] r = Arrays.copyOf(row, n + 1);
                r[nCols] = ExactMath.neg(row[s]);
                r[n] = row[nCols];
                rs.add(r);
            }
            Budget.tick((long) rows.size() * (n + 1)); // a copy: the budget bounds memory too
            int[] freed = freedCol.clone();
            freed[i] = nCols;
            return new Tableau(rs, new ArrayList<>(basis), n, slackCol.clone(), freed);
        }

        /**
         * The minimum of {@code s_i⁺ − s_i⁻} as {num, den} (den > 0), or a value {@code <= -1}
         * once one is reached (enough to keep the row), or null when unbounded below.
         */
        long[] minimizeSlack(int i) {
            long[] obj = new long[nCols + 1];
            obj[slackCol[i]] = 1;
            if (freedCol[i] >= 0) {
                obj[freedCol[i]] = -1;
            }
            long[] den = {1};
            // express the objective in the nonbasic columns: z·den = obj[rhs] + Σ obj[j] y_j
            for (int r = 0; r < rows.size(); r++) {
                int b = basis.get(r);
                if (obj[b] != 0) {
                    eliminate(obj, den, rows.get(r), b);
                }
            }
            if (!minimize(obj, den, nCols, true)) {
                return null;
            }
            return new long[] {obj[nCols], den[0]};
        }

        /**
         * Primal simplex on objective {@code z = (obj[rhs] + Σ obj[j]·y_j)/den} (zero on basic
         * columns), entering only columns below {@code limit}: the most negative reduced cost
         * enters (Dantzig), and after {@value #DEGENERATE_STREAK} pivots in a row that do not
         * move the point Bland's rule takes over, which cannot cycle. With {@code stopAtMinusOne}
         * it stops as soon as {@code z <= -1} (a redundancy test needs no more). False when
         * unbounded.
         */
        private boolean minimize(long[] obj, long[] den, int limit, boolean stopAtMinusOne) {
            int degenerate = 0;
            while (true) {
                if (stopAtMinusOne && ExactMath.signum(ExactMath.add(obj[nCols], den[0])) <= 0) {
                    return true;
                }
                boolean bland = degenerate > DEGENERATE_STREAK;
                int enter = -1;
                for (int c = 0; c < limit; c++) {
                    if (ExactMath.signum(obj[c]) < 0 && (enter < 0 || !bland && ExactMath.compare(obj[c], obj[enter]) < 0)) {
                        enter = c;
                        if (bland) {
                            break;
                        }
                    }
                }
                if (enter < 0) {
                    return true;
                }
                int leave = -1;
                for (int r = 0; r < rows.size(); r++) {
                    long[] row = rows.get(r);
                    if (ExactMath.signum(row[enter]) <= 0) {
                        continue;
                    }
                    if (leave < 0) {
                        leave = r;
                        continue;
                    }
                    long[] best = rows.get(leave);
                    // rhs_r / a_r < rhs_l / a_l  ⇔  rhs_r·a_l < rhs_l·a_r (both a > 0)
                    int cmp = ExactMath.compare(ExactMath.mul(row[nCols], best[enter]), ExactMath.mul(best[nCols], row[enter]));
                    if (cmp < 0 || cmp == 0 && basis.get(r) < basis.get(leave)) {
                        leave = r;
                    }
                }
                if (leave < 0) {
                    return false;
                }
                degenerate = rows.get(leave)[nCols] == 0 ? degenerate + 1 : 0;
                pivot(leave, enter, obj, den);
            }
        }

        /** Makes column {@code enter} basic in row {@code r}, updating the other rows and the objective. */
        private void pivot(int r, int enter, long[] obj, long[] den) {
            long[] p = rows.get(r);
            if (ExactMath.signum(p[enter]) < 0) {
                for (int c = 0; c <= nCols; c++) {
                    p[c] = ExactMath.neg(p[c]);
                }
            }
            long a = p[enter];
            for (int i = 0; i < rows.size(); i++) {
                long[] row = rows.get(i);
                long f = row[enter];
                if (i == r || f == 0) {
                    continue;
                }
                for (int c = 0; c <= nCols; c++) {
                    row[c] = ExactMath.sub(ExactMath.mul(row[c], a), ExactMath.mul(p[c], f));
                }
                normalize(row);
                Budget.tick(nCols + 1);
            }
            if (obj != null) {
                eliminate(obj, den, p, enter);
            }
            basis.set(r, enter);
        }

        /** Removes column {@code col} from the objective using {@code row} (where it is basic). */
        private void eliminate(long[] obj, long[] den, long[] row, int col) {
            // z·den = O + o·y_col + …,  row: a·y_col = rhs − Σ_{k≠col} row[k] y_k  (a > 0)
            long a = row[col];
            long o = obj[col];
            for (int c = 0; c < nCols; c++) {
                obj[c] = ExactMath.sub(ExactMath.mul(obj[c], a), ExactMath.mul(o, row[c]));
            }
            obj[nCols] = ExactMath.add(ExactMath.mul(obj[nCols], a), ExactMath.mul(o, row[nCols]));
            den[0] = ExactMath.mul(den[0], a);
            long g = den[0];
            for (long v : obj) {
                g = ExactMath.gcd(g, v);
            }
            if (g != 1) {
                for (int c = 0; c <= nCols; c++) {
                    obj[c] = ExactMath.div(obj[c], g);
                }
                den[0] = ExactMath.div(den[0], g);
            }
            Budget.tick(nCols + 1);
        }

        private static void normalize(long[] row) {
            long g = 0;
            for (long v : row) {
                g = ExactMath.gcd(g, v);
                if (g == 1) {
                    return;
                }
            }
            if (g > 1) {
                for (int c = 0; c < row.length; c++) {
                    row[c] = ExactMath.div(row[c], g);
                }
            }
        }
    }
}
