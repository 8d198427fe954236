package dev.tessera.polyhedral;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * {@link Redundancy}: hand-checked rows that must go and rows that look redundant but must stay,
 * and a property comparing the integer points of random conjunctions before and after.
 */
class RedundancyTest {
    /** Rows over columns (x, y) then the constant: {@code a·x + b·y + c >= 0}. */
    private static long[] row(long... r) {
        return r;
    }

    private static List<long[]> essential(List<long[]> eqs, List<long[]> ineqs, int w) {
        return essential(eqs, ineqs, List.of(), w, r -> true);
    }

    /** The rows kept, or null when there is no rational point. */
    private static List<long[]> essential(List<long[]> eqs, List<long[]> ineqs, List<long[]> context, int w,
            java.util.function.Predicate<long[]> candidate) {
        Redundancy lp = Redundancy.of(eqs, ineqs, context, w);
        return lp.hasRationalPoint() ? lp.essential(candidate) : null;
    }

    @Test
    void rowsImpliedByTheOthersGo() {
        long[] x = row(1, 0, 0);
        long[] y = row(0, 1, 0);
        long[] sumAboveMinus3 = row(1, 1, 3);
        long[] twoXPlusYAtMost10 = row(-2, -1, 10);
        long[] xAtMost5 = row(-1, 0, 5);
        List<long[]> kept = essential(List.of(), List.of(x, y, sumAboveMinus3, twoXPlusYAtMost10, xAtMost5), 2);
        assertThat(kept).containsExactly(x, y, twoXPlusYAtMost10);
    }

    @Test
    void aRowCuttingOffOneCornerStays() {
        // x <= 5, y <= 5, x + y <= 9: the last cuts off (5, 5), so the minimum of 9 - x - y is -1
        long[] xAtMost5 = row(-1, 0, 5);
        long[] yAtMost5 = row(0, -1, 5);
        long[] sumAtMost9 = row(-1, -1, 9);
        assertThat(essential(List.of(), List.of(xAtMost5, yAtMost5, sumAtMost9), 2)).containsExactly(xAtMost5, yAtMost5, sumAtMost9);
        // with x + y <= 10 instead the corner is in, and the sum row goes
        long[] sumAtMost10 = row(-1, -1, 10);
        assertThat(essential(List.of(), List.of(xAtMost5, yAtMost5, sumAtMost10), 2)).containsExactly(xAtMost5, yAtMost5);
    }

    @Test
    void aRowWhoseMinimumIsMinusOneStaysAndOneAboveMinusOneGoes() {
        // { x : 3x >= 1, x >= 0 }: min of x over 3x >= 1 is 1/3 (> -1, goes); min of 3x - 1 over x >= 0 is -1 (stays)
        long[] threeXAtLeast1 = row(3, -1);
        long[] xAtLeast0 = row(1, 0);
        assertThat(essential(List.of(), List.of(threeXAtLeast1, xAtLeast0), 1)).containsExactly(threeXAtLeast1);
        assertThat(essential(List.of(), List.of(xAtLeast0, threeXAtLeast1), 1)).containsExactly(threeXAtLeast1);
        // { x : 2x >= -1, x >= 0 } over the integers is x >= 0; 2x + 1 has minimum 1 over x >= 0 and goes,
        // but x >= 0 has minimum -1/2 over 2x >= -1, which is above -1: over the integers it is implied too
        long[] twoXAtLeastMinus1 = row(2, 1);
        assertThat(essential(List.of(), List.of(twoXAtLeastMinus1, xAtLeast0), 1)).hasSize(1);
    }

    @Test
    void aThinRationalSlabWithoutIntegerPointsKeepsBothRows() {
        // 1 <= 2x <= 1 has the rational point 1/2: neither row is implied by the other
        long[] lo = row(2, -1);
        long[] hi = row(-2, 1);
        assertThat(essential(List.of(), List.of(lo, hi), 1)).containsExactly(lo, hi);
    }

    @Test
    void duplicatesKeepOneCopy() {
        long[] a = row(-1, 0, 5);
        long[] b = row(-1, 0, 5);
        long[] c = row(1, 0, 0);
        assertThat(essential(List.of(), List.of(a, b, c), 2)).containsExactly(b, c);
    }

    @Test
    void equalitiesTakePartInTheTests() {
        // x = y, y <= 3, x <= 4: x <= 4 follows, y <= 3 does not
        long[] yAtMost3 = row(0, -1, 3);
        long[] xAtMost4 = row(-1, 0, 4);
        assertThat(essential(List.of(row(1, -1, 0)), List.of(yAtMost3, xAtMost4), 2)).containsExactly(yAtMost3);
    }

    @Test
    void contextRowsAreUsedButNeverReturned() {
        // q = floor(x/2) as context (x - 2q >= 0, 2q - x + 1 >= 0) over columns (x, q)
        List<long[]> divRows = List.of(row(1, -2, 0), row(-1, 2, 1));
        long[] x0 = row(1, 0, 0);
        long[] x7 = row(-1, 0, 7);
        long[] qAtMost4 = row(0, -1, 4);
        long[] qAtMost2 = row(0, -1, 2);
        // 0 <= x <= 7 gives q <= 3: q <= 4 goes
        assertThat(essential(List.of(), List.of(x0, x7, qAtMost4), divRows, 2, r -> true)).containsExactly(x0, x7);
        // q <= 2 gives x <= 5 through the div rows: x <= 7 goes, and then nothing implies q <= 2
        assertThat(essential(List.of(), List.of(x0, x7, qAtMost2), divRows, 2, r -> true)).containsExactly(x0, qAtMost2);
        // without the context nothing links x and q
        assertThat(essential(List.of(), List.of(x0, x7, qAtMost2), 2)).containsExactly(x0, x7, qAtMost2);
    }

    @Test
    void onlyCandidatesAreTested() {
        long[] x = row(1, 0);
        long[] xAboveMinus5 = row(1, 5);
        assertThat(essential(List.of(), List.of(x, xAboveMinus5), List.of(), 1, r -> r != xAboveMinus5)).containsExactly(x, xAboveMinus5);
        assertThat(essential(List.of(), List.of(x, xAboveMinus5), 1)).containsExactly(x);
    }

    @Test
    void noRationalPointGivesNull() {
        assertThat(essential(List.of(), List.of(row(1, -1), row(-1, 0)), 1)).isNull(); // x >= 1, x <= 0
        assertThat(essential(List.of(row(1, -1, 0), row(1, -1, -1)), List.of(), 2)).isNull(); // x = y, x = y + 1
    }

    @Test
    void unboundedConjunctionsWork() {
        // x >= 0, y >= x, y >= -3 (unbounded above): y >= -3 goes
        long[] x = row(1, 0, 0);
        long[] yAboveX = row(-1, 1, 0);
        long[] yAboveMinus3 = row(0, 1, 3);
        assertThat(essential(List.of(), List.of(x, yAboveX, yAboveMinus3), 2)).containsExactly(x, yAboveX);
    }

    /** Random conjunctions in 2 or 3 columns inside a box: the same integer points before and after, checked one by one. */
    @Property(tries = 200)
    void integerPointsAreKept(@ForAll long seed) {
        Random rnd = new Random(seed);
        int w = 2 + rnd.nextInt(2);
        int box = 3;
        List<long[]> eqs = new ArrayList<>();
        List<long[]> ineqs = new ArrayList<>();
        for (int c = 0; c < w; c++) {
            long[] lo = new long[w + 1];
            lo[c] = 1;
            lo[w] = box;
            long[] hi = new long[w + 1];
            hi[c] = -1;
            hi[w] = box;
            ineqs.add(lo);
            ineqs.add(hi);
        }
        int n = 2 + rnd.nextInt(6);
        for (int k = 0; k < n; k++) {
            long[] r = new long[w + 1];
            for (int c = 0; c < w; c++) {
                r[c] = rnd.nextInt(7) - 3;
            }
            r[w] = rnd.nextInt(13) - 6;
            ineqs.add(k % 2 == 0 ? r : ineqs.get(rnd.nextInt(ineqs.size())).clone()); // duplicates too
            if (rnd.nextInt(8) == 0) {
                eqs.add(r.clone());
            }
        }
        java.util.Collections.shuffle(ineqs, rnd);
        List<long[]> kept = essential(eqs, ineqs, w);
        int wide = 2 * box; // beyond the box too: a dropped box row would let points out
        int[] p = new int[w];
        int before = 0;
        for (int idx = 0; idx < Math.pow(2 * wide + 1, w); idx++) {
            int rest = idx;
            for (int c = 0; c < w; c++) {
                p[c] = rest % (2 * wide + 1) - wide;
                rest /= 2 * wide + 1;
            }
            boolean in = holds(eqs, ineqs, p, w);
            before += in ? 1 : 0;
            if (kept != null) {
                assertThat(holds(eqs, kept, p, w)).as("point %s, seed %d", java.util.Arrays.toString(p), seed).isEqualTo(in);
            }
        }
        if (kept == null) {
            assertThat(before).as("no rational point, so no integer point").isZero();
        } else {
            assertThat(kept.size()).isLessThanOrEqualTo(ineqs.size());
        }
    }

    private static boolean holds(List<long[]> eqs, List<long[]> ineqs, int[] p, int w) {
        for (long[] e : eqs) {
            if (value(e, p, w) != 0) {
                return false;
            }
        }
        for (long[] r : ineqs) {
            if (value(r, p, w) < 0) {
                return false;
            }
        }
        return true;
    }

    private static long value(long[] r, int[] p, int w) {
        long v = r[w];
        for (int c = 0; c < w; c++) {
            v += r[c] * p[c];
        }
        return v;
    }
}
