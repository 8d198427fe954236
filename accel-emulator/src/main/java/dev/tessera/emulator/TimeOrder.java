package dev.tessera.emulator;

/**
 * Sorting by emulated time without boxing: the indices {@code 0..n-1} ordered by their keys, equal
 * keys in index order (stable), by a least-significant-digit radix sort over the keys' bits (8 bits a
 * pass, 16 for large inputs), skipping the passes where every key has the same digit (times of one
 * run share their high bits). Example: keys {@code [3.0, 1.5, 3.0, 0.0]} give {@code [3, 1, 0, 2]}.
 */
final class TimeOrder {
    private TimeOrder() {}

    /** The indices of {@code keys} in increasing key order, ties by index; keys must not be NaN. */
    static int[] sorted(double[] keys) {
        int n = keys.length;
        long[] bits = new long[n];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            long b = Double.doubleToLongBits(keys[i]);
            // Flip so that unsigned order of the bits is the numeric order: all bits of negatives, the sign of the rest.
            bits[i] = b < 0 ? ~b : b ^ Long.MIN_VALUE;
            order[i] = i;
        }
        long[] bitsNext = new long[n];
        int[] orderNext = new int[n];
        int width = n < 1 << 14 ? 8 : 16;
        int mask = (1 << width) - 1;
        int[] count = new int[mask + 2];
        for (int shift = 0; shift < 64; shift += width) {
            java.util.Arrays.fill(count, 0);
            for (int i = 0; i < n; i++) {
                count[((int) (bits[i] >>> shift) & mask) + 1]++;
            }
            if (n == 0 || count[((int) (bits[0] >>> shift) & mask) + 1] == n) {
                continue;
            }
            for (int d = 0; d <= mask; d++) {
                count[d + 1] += count[d];
            }
            for (int i = 0; i < n; i++) {
                int to = count[(int) (bits[i] >>> shift) & mask]++;
                bitsNext[to] = bits[i];
                orderNext[to] = order[i];
            }
            long[] b = bits;
            bits = bitsNext;
            bitsNext = b;
            int[] o = order;
            order = orderNext;
            orderNext = o;
        }
        return order;
    }
}
