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
 * codes, so {@code long} arithmetic unless values grow; Bland's rule, so it cannot cycle): every column {@code x} is split as {@code x⁺ − x⁻}, inequality
 * {@code i} gets a slack {@code s_i = r_i(x) >= 0}; one phase-1 solve finds a feasible basis of
 * the whole conjunction, then the minimum of {@code s_i} with {@code s_i} freed (a column
 * {@code s_i⁻} added) is found from that basis. A freed slack stays free when its row is
 * dropped, which is exactly removing the row.
 *
 * <p>Example: in {@code { x, y : x >= 0, y >= 0, x + y >= -3, 2x + y <= 10, x <= 5 }} the row
 * {@code x + y >= -3} (minimum 0 over the others) and {@code x <= 5} (implied by
 * {@code 2x + y <= 10, y >= 0}) go; with {@code 3x >= 1} beside {@code x >= 0} in
 * {@code { x : 3x >= 1, x >= 0 }}, the row {@code x >= 0} goes (the minimum of {@code x} is
 * {@code 1/3}) but {@code 3x >= 1} stays (its minimum over {@code x >= 0} is {@code -1}).
 */
final class Redundancy {
    private Redundancy() {}

    /**
     * The inequalities of {@code ineqs} over {@code w} columns (and a constant) that are not
     * redundant in the conjunction with {@code eqs}, in their order; only rows accepted by
     * {@code candidate} are tested (the others are kept). The {@code context} inequalities hold
     * at every point (the defining rows of divs): they take part in the tests but are never
     * dropped or returned. Null when the conjunction has no rational point (so no integer point).
     */
    static List<long[]> essential(List<long[]> eqs, List<long[]> ineqs, List<long[]> context, int w, Predicate<long[]> candidate) {
        List<long[]> rows = new ArrayList<>(ineqs);
        rows.addAll(context);
        Tableau t = Tableau.feasible(eqs, rows, w);
        if (t == null) {
            return null;
        }
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
         * Phase 1 on columns {@code [x⁺ (w) | x⁻ (w) | slacks (ineqs) | artificials]}: null when
         * infeasible, else a feasible tableau without artificial columns.
         */
        static Tableau feasible(List<long[]> eqs, List<long[]> ineqs, int w) {
            int m = ineqs.size();
            int base = 2 * w + m;
            List<long[]> all = new ArrayList<>(ineqs);
            all.addAll(eqs);
            int nRows = all.size();
            // a row that holds at x = 0 starts with its slack basic; the others get an artificial
            int[] artificial = new int[nRows];
            int nArt = 0;
            for (int i = 0; i < nRows; i++) {
                artificial[i] = i < m && ExactMath.signum(all.get(i)[w]) >= 0 ? -1 : base + nArt++;
            }
            int nCols = base + nArt;
            List<long[]> rows = new ArrayList<>();
            List<Integer> basis = new ArrayList<>();
            for (int i = 0; i < nRows; i++) {
                long[] r = all.get(i);
                long[] row = new long[nCols + 1];
                // r·x + c = s (inequality) or 0 (equality):  r·x⁺ − r·x⁻ − s = −c
                for (int c = 0; c < w; c++) {
                    row[c] = r[c];
                    row[w + c] = ExactMath.neg(r[c]);
                }
                if (i < m) {
                    row[2 * w + i] = -1;
                }
                row[nCols] = ExactMath.neg(r[w]);
                if (artificial[i] < 0 || ExactMath.signum(row[nCols]) < 0) { // basic slack: coefficient +1
                    for (int c = 0; c <= nCols; c++) {
                        row[c] = ExactMath.neg(row[c]);
                    }
                }
                if (artificial[i] >= 0) {
                    row[artificial[i]] = 1;
                }
                rows.add(row);
                basis.add(artificial[i] >= 0 ? artificial[i] : 2 * w + i);
            }
            int[] slack = new int[m];
            for (int i = 0; i < m; i++) {
                slack[i] = 2 * w + i;
            }
            int[] freed = new int[m];
            Arrays.fill(freed, -1);
            Tableau t = new Tableau(rows, basis, nCols, slack, freed);
            // phase-1 objective: minimize the sum of the artificials = Σ rhs − Σ_j (Σ_i T[i][j]) y_j
            long[] obj = new long[nCols + 1];
            for (int i = 0; i < nRows; i++) {
                if (artificial[i] < 0) {
                    continue;
                }
                long[] row = rows.get(i);
                for (int c = 0; c < base; c++) {
                    obj[c] = ExactMath.sub(obj[c], row[c]);
                }
                obj[nCols] = ExactMath.add(obj[nCols], row[nCols]);
            }
            long[] objDen = {1};
            if (!t.minimize(obj, objDen, base)) {
                throw new IllegalStateException("phase 1 cannot be unbounded");
            }
            if (obj[nCols] != 0) {
                return null;
            }
            return t.withoutArtificials(base);
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

        /** The minimum of {@code s_i⁺ − s_i⁻} as {num, den} (den > 0), or null when unbounded below. */
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
            if (!minimize(obj, den, nCols)) {
                return null;
            }
            return new long[] {obj[nCols], den[0]};
        }

        /**
         * Primal simplex with Bland's rule on objective {@code z = (obj[rhs] + Σ obj[j]·y_j)/den}
         * (zero on basic columns), entering only columns below {@code limit}. False when unbounded.
         */
        private boolean minimize(long[] obj, long[] den, int limit) {
            while (true) {
                int enter = -1;
                for (int c = 0; c < limit && enter < 0; c++) {
                    if (ExactMath.signum(obj[c]) < 0) {
                        enter = c;
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
