package dev.tessera.emulator;

/**
 * Sorting by emulated time without boxing: indices ordered by their keys, equal keys in index order
 * (so the result is the stable sort of {@code 0..n-1} by key), by a natural merge sort that starts
 * from a hint order. The run knows an order in which the keys almost ascend: instructions of one
 * stream start (and end) in stream order, so allocations listed by the step of their first use
 * (steps numbered stream after stream) form one ascending run per stream. The sort finds those runs
 * and merges them, about {@code n log2(runs)} steps instead of a full sort; any hint gives the
 * right order, a bad one only costs time. Example: keys {@code [3.0, 1.5, 3.0, 0.0]} with hint
 * {@code [3, 1, 0, 2]} are one run and give {@code [3, 1, 0, 2]}; with hint {@code [0, 1, 2, 3]}
 * the runs {@code [0]}, {@code [1, 2]}, {@code [3]} merge to the same.
 */
final class TimeOrder {
    private TimeOrder() {}

    /**
     * The indices in {@code hint} (a permutation of some indices of {@code keys}) in increasing key
     * order, ties by index; keys must not be NaN. Keys compare as {@link Double#compare} does.
     */
    static int[] sorted(double[] keys, int[] hint) {
        int n = hint.length;
        int[] order = hint.clone();
        if (n < 2) {
            return order;
        }
        // Run boundaries: run r is order[starts[r] .. starts[r + 1]).
        int[] starts = new int[n + 1];
        int runs = 0;
        starts[runs++] = 0;
        for (int i = 1; i < n; i++) {
            if (before(keys, order[i], order[i - 1])) {
                starts[runs++] = i;
            }
        }
        starts[runs] = n;
        int[] other = new int[n];
        while (runs > 1) {
            int merged = 0;
            for (int r = 0; r < runs; r += 2) {
                int from = starts[r];
                int middle = starts[Math.min(r + 1, runs)];
                int to = starts[Math.min(r + 2, runs)];
                merge(keys, order, from, middle, to, other);
                starts[merged++] = from;
            }
            starts[merged] = n;
            runs = merged;
            int[] swap = order;
            order = other;
            other = swap;
        }
        return order;
    }

    /** Merges the ascending runs {@code from[lo, mid)} and {@code from[mid, hi)} into {@code to[lo, hi)}. */
    private static void merge(double[] keys, int[] from, int lo, int mid, int hi, int[] to) {
        int a = lo;
        int b = mid;
        for (int k = lo; k < hi; k++) {
            if (b >= hi || a < mid && !before(keys, from[b], from[a])) {
                to[k] = from[a++];
            } else {
                to[k] = from[b++];
            }
        }
    }

    /** Whether index x sorts before index y: a smaller key, or the same key and a smaller index. */
    private static boolean before(double[] keys, int x, int y) {
        int c = Double.compare(keys[x], keys[y]);
        return c < 0 || c == 0 && x < y;
    }
}
