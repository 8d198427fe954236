package dev.tessera.polyhedral;

import java.util.ArrayList;
import java.util.List;

/**
 * Lexicographic order relations on one tuple: {@code { t -> t' : t lex< t' }} is the union
 * over levels {@code l} of {@code t_0 = t'_0 ∧ … ∧ t_(l-1) = t'_(l-1) ∧ t_l < t'_l}.
 */
public final class LexOrder {
    private LexOrder() {}

    /** {@code { t -> t' : t lex< t' }} on tuple {@code t}. */
    public static Relation lessThan(List<String> params, Tuple t) {
        int np = params.size();
        int n = t.arity();
        int nf = np + 2 * n;
        List<BasicRelation> pieces = new ArrayList<>();
        for (int level = 0; level < n; level++) {
            pieces.add(new BasicRelation(nf, equalPrefix(np, n, level, nf), List.of(strictlyLess(np, n, level, nf)), List.of()));
        }
        return new Relation(Space.relation(params, t, t), pieces);
    }

    /** Rows {@code a_k - b_k = 0} for {@code k < level}, columns {@code a} at {@code np}, {@code b} at {@code np + n}. */
    static List<long[]> equalPrefix(int np, int n, int level, int width) {
        List<long[]> eqs = new ArrayList<>();
        for (int k = 0; k < level; k++) {
            long[] r = new long[width + 1];
            r[np + k] = 1;
            r[np + n + k] = -1;
            eqs.add(r);
        }
        return eqs;
    }

    /** Row {@code b_level - a_level - 1 >= 0}. */
    static long[] strictlyLess(int np, int n, int level, int width) {
        long[] r = new long[width + 1];
        r[np + n + level] = 1;
        r[np + level] = -1;
        r[width] = -1;
        return r;
    }
}
