package dev.tessera.emulator;

import java.util.Arrays;

/**
 * One memory space (SBUF or PSUM) "painted" with the allocations that last held its bytes: disjoint
 * rectangles, partitions {@code [p0, p1)} × bytes {@code [lo, hi)}, each with its owner. Painting an
 * allocation over it reports every owner it overlaps, in the rectangles' order, then cuts those
 * rectangles to the parts outside the new one (the parts take the cut rectangle's place, at most
 * four, in the order partitions below, above, bytes below, above) and adds the new rectangle last.
 * That order is the one the lifetime check defines (it decides which of several conflicts is
 * reported), kept in a doubly linked list.
 *
 * <p>A code generator reuses slots whole: most allocations cover exactly the rectangle of an earlier
 * one. The rectangles are disjoint, so such an allocation overlaps that rectangle alone; a hash
 * table from rectangle to list node finds it at once, and painting is a relink and a new owner
 * instead of a pass over every rectangle. The table holds non-empty rectangles only. Example: painting {@code a = [0, 128) × [0, 1024)}, then
 * {@code b = [0, 64) × [0, 1024)} reports a and leaves {@code [64, 128) × [0, 1024)} of a, then b; painting
 * {@code c = [0, 64) × [0, 1024)} finds b's rectangle in the table and reports b alone.
 */
final class Painting {
    /** Told of each owner an allocation being painted overlaps; may throw to stop the painting. */
    interface Overlap {
        void found(int previous, int next);
    }

    private static final int NONE = -1;
    // The rectangles, as list nodes; free nodes are chained through next.
    private int[] p0 = new int[16];
    private int[] p1 = new int[16];
    private long[] lo = new long[16];
    private long[] hi = new long[16];
    private int[] owner = new int[16];
    private int[] prev = new int[16];
    private int[] next = new int[16];
    private int head = NONE;
    private int tail = NONE;
    private int free = NONE;
    private int used;
    /** Rectangles in the list. */
    private int size;
    /** Open addressing, linear probing: node + 1 of a rectangle hashed there, 0 for an empty slot. */
    private int[] table = new int[64];

    /** Paints rectangle r with {@code newOwner}, telling {@code check} of each owner it overlaps, in order. */
    void paint(int r0, int r1, long rlo, long rhi, int newOwner, Overlap check) {
        // No two rectangles painted pass the overlap test (painting cuts what the new one passes it with,
        // and a part of a rectangle passes it only with what the whole passes it with), so the one equal
        // to r is the only one r passes it with. Empty rectangles (which no allocation is) stay out of the table.
        int same = r0 < r1 && rlo < rhi ? find(r0, r1, rlo, rhi) : NONE;
        if (same != NONE) {
            check.found(owner[same], newOwner);
            unlink(same);
            linkAfter(tail, same);
            owner[same] = newOwner;
            return;
        }
        for (int k = head; k != NONE;) {
            int following = next[k];
            if (p0[k] < r1 && r0 < p1[k] && lo[k] < rhi && rlo < hi[k]) {
                check.found(owner[k], newOwner);
                cut(k, r0, r1, rlo, rhi);
            }
            k = following;
        }
        add(tail, r0, r1, rlo, rhi, newOwner);
    }

    /** Whether the table finds a rectangle equal to r (non-empty): for tests. */
    boolean holds(int r0, int r1, long rlo, long rhi) {
        return r0 < r1 && rlo < rhi && find(r0, r1, rlo, rhi) != NONE;
    }

    /** The number of rectangles (cutting can make it grow with the square of the allocations painted, in the worst case). */
    int size() {
        return size;
    }

    /** The rectangles in order, {@code [p0, p1) x [lo, hi) owner} joined by {@code "; "}: for tests and debugging. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int k = head; k != NONE; k = next[k]) {
            sb.append(sb.isEmpty() ? "" : "; ").append('[').append(p0[k]).append(", ").append(p1[k]).append(") x [").append(lo[k])
                    .append(", ").append(hi[k]).append(") ").append(owner[k]);
        }
        return sb.toString();
    }

    /** Replaces rectangle k by its parts outside r, in its place. */
    private void cut(int k, int r0, int r1, long rlo, long rhi) {
        int a0 = p0[k];
        int a1 = p1[k];
        long alo = lo[k];
        long ahi = hi[k];
        int o = owner[k];
        int at = k;
        if (a0 < r0) {
            at = add(at, a0, r0, alo, ahi, o);
        }
        if (r1 < a1) {
            at = add(at, r1, a1, alo, ahi, o);
        }
        int m0 = Math.max(a0, r0);
        int m1 = Math.min(a1, r1);
        if (alo < rlo) {
            at = add(at, m0, m1, alo, rlo, o);
        }
        if (rhi < ahi) {
            add(at, m0, m1, rhi, ahi, o);
        }
        unhash(k);
        unlink(k);
        next[k] = free;
        free = k;
        size--;
    }

    /** Adds a rectangle after node {@code after} ({@link #NONE}: first); returns its node. */
    private int add(int after, int a0, int a1, long alo, long ahi, int o) {
        if (2 * (size + 1) > table.length) {
            rehash(2 * table.length);
        }
        int k = free;
        if (k != NONE) {
            free = next[k];
        } else {
            if (used == p0.length) {
                grow();
            }
            k = used++;
        }
        p0[k] = a0;
        p1[k] = a1;
        lo[k] = alo;
        hi[k] = ahi;
        owner[k] = o;
        linkAfter(after, k);
        size++;
        hash(k);
        return k;
    }

    private void grow() {
        int n = 2 * p0.length;
        p0 = Arrays.copyOf(p0, n);
        p1 = Arrays.copyOf(p1, n);
        lo = Arrays.copyOf(lo, n);
        hi = Arrays.copyOf(hi, n);
        owner = Arrays.copyOf(owner, n);
        prev = Arrays.copyOf(prev, n);
        next = Arrays.copyOf(next, n);
    }

    private void linkAfter(int after, int k) {
        int following = after == NONE ? head : next[after];
        prev[k] = after;
        next[k] = following;
        if (after == NONE) {
            head = k;
        } else {
            next[after] = k;
        }
        if (following == NONE) {
            tail = k;
        } else {
            prev[following] = k;
        }
    }

    private void unlink(int k) {
        int before = prev[k];
        int after = next[k];
        if (before == NONE) {
            head = after;
        } else {
            next[before] = after;
        }
        if (after == NONE) {
            tail = before;
        } else {
            prev[after] = before;
        }
    }

    private static int slot(int r0, int r1, long rlo, long rhi, int mask) {
        long h = (r0 * 0x9E3779B97F4A7C15L + r1) * 0xC2B2AE3D27D4EB4FL + rlo;
        h = (h * 0x9E3779B97F4A7C15L + rhi) * 0xC2B2AE3D27D4EB4FL;
        return (int) (h >>> 40) & mask;
    }

    private int find(int r0, int r1, long rlo, long rhi) {
        int mask = table.length - 1;
        for (int s = slot(r0, r1, rlo, rhi, mask);; s = (s + 1) & mask) {
            int k = table[s] - 1;
            if (k == NONE) {
                return NONE;
            }
            if (p0[k] == r0 && p1[k] == r1 && lo[k] == rlo && hi[k] == rhi) {
                return k;
            }
        }
    }

    private boolean empty(int k) {
        return p0[k] >= p1[k] || lo[k] >= hi[k];
    }

    /** Enters rectangle k in the table, unless it is empty. */
    private void hash(int k) {
        if (empty(k)) {
            return;
        }
        int mask = table.length - 1;
        int s = slot(p0[k], p1[k], lo[k], hi[k], mask);
        while (table[s] != 0) {
            s = (s + 1) & mask;
        }
        table[s] = k + 1;
    }

    /** Removes node k from the table, moving later entries of its probe sequence back (no tombstones). */
    private void unhash(int k) {
        if (empty(k)) {
            return;
        }
        int mask = table.length - 1;
        int s = slot(p0[k], p1[k], lo[k], hi[k], mask);
        while (table[s] != k + 1) {
            s = (s + 1) & mask;
        }
        int hole = s;
        for (int t = (hole + 1) & mask; table[t] != 0; t = (t + 1) & mask) {
            int m = table[t] - 1;
            int home = slot(p0[m], p1[m], lo[m], hi[m], mask);
            // m may fill the hole if its home does not lie cyclically in (hole, t].
            boolean between = hole < t ? hole < home && home <= t : hole < home || home <= t;
            if (!between) {
                table[hole] = table[t];
                hole = t;
            }
        }
        table[hole] = 0;
    }

    private void rehash(int capacity) {
        table = new int[capacity];
        for (int k = head; k != NONE; k = next[k]) {
            hash(k);
        }
    }
}
