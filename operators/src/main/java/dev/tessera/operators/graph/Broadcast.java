package dev.tessera.operators.graph;

import java.util.ArrayList;
import java.util.List;

/**
 * Numpy (multidirectional) broadcasting: shapes are aligned at their last dimension; two aligned
 * sizes are compatible when they are equal or one of them is 1, and the result takes the larger.
 * Example: {@code [8, 1, 6, 1]} and {@code [7, 1, 5]} broadcast to {@code [8, 7, 6, 5]}.
 */
final class Broadcast {
    private Broadcast() {}

    /** The broadcast shape, or null when the shapes are incompatible. */
    static List<Long> shapes(List<Long> a, List<Long> b) {
        int rank = Math.max(a.size(), b.size());
        List<Long> out = new ArrayList<>(rank);
        for (int i = 0; i < rank; i++) {
            long da = dimFromRight(a, rank - 1 - i);
            long db = dimFromRight(b, rank - 1 - i);
            if (da == db || db == 1) {
                out.add(da);
            } else if (da == 1) {
                out.add(db);
            } else {
                return null;
            }
        }
        return out;
    }

    private static long dimFromRight(List<Long> shape, int fromRight) {
        int i = shape.size() - 1 - fromRight;
        return i >= 0 ? shape.get(i) : 1;
    }
}
