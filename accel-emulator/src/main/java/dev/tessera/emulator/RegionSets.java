package dev.tessera.emulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Unions of boxes, one per set number (the run keeps one set per buffer: what has been written, and
 * for PSUM what a matmul wrote that no eviction has read yet). The boxes of all sets live in one
 * pool of primitive arrays, each set a chain through it, and freed boxes are reused, so adding and
 * cutting allocate nothing once the pool has grown to the run's working size.
 *
 * <p>A union is kept small: adding a box drops the boxes it contains and merges with a neighbour
 * that extends it along one axis. Example: adding [0, 128) × [0, 256) and then [0, 128) × [256, 512)
 * keeps the single box [0, 128) × [0, 512). Coverage is exact whatever the representation: a query
 * no single box contains is cut by every box in turn.
 */
final class RegionSets {
    private static final int NONE = -1;

    private final int[] head;
    private int[] next;
    private int[] p0;
    private int[] p1;
    private long[] lo;
    private long[] hi;
    private int used;
    private int free = NONE;

    RegionSets(int sets) {
        head = new int[sets];
        Arrays.fill(head, NONE);
        next = new int[64];
        p0 = new int[64];
        p1 = new int[64];
        lo = new long[64];
        hi = new long[64];
    }

    boolean isEmpty(int set) {
        return head[set] == NONE;
    }

    void clear(int set) {
        int n = head[set];
        while (n != NONE) {
            int following = next[n];
            release(n);
            n = following;
        }
        head[set] = NONE;
    }

    /** Whether some box of the set overlaps {@code [q0, q1) × [qlo, qhi)}. */
    boolean overlaps(int set, int q0, int q1, long qlo, long qhi) {
        for (int n = head[set]; n != NONE; n = next[n]) {
            if (p0[n] < q1 && q0 < p1[n] && lo[n] < qhi && qlo < hi[n]) {
                return true;
            }
        }
        return false;
    }

    /** Whether the union covers {@code [q0, q1) × [qlo, qhi)}. */
    boolean covers(int set, int q0, int q1, long qlo, long qhi) {
        for (int n = head[set]; n != NONE; n = next[n]) {
            if (p0[n] <= q0 && q1 <= p1[n] && lo[n] <= qlo && qhi <= hi[n]) {
                return true;
            }
        }
        List<Box> left = List.of(new Box(q0, q1, qlo, qhi));
        for (int n = head[set]; n != NONE; n = next[n]) {
            Box cut = box(n);
            List<Box> pieces = new ArrayList<>();
            for (Box r : left) {
                r.subtract(cut, pieces);
            }
            left = pieces;
            if (left.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Adds {@code [a0, a1) × [alo, ahi)} to the union. */
    void add(int set, int a0, int a1, long alo, long ahi) {
        boolean changed = true;
        while (changed) {
            changed = false;
            int prev = NONE;
            int n = head[set];
            while (n != NONE) {
                int following = next[n];
                if (p0[n] <= a0 && a1 <= p1[n] && lo[n] <= alo && ahi <= hi[n]) {
                    return;
                }
                boolean contains = a0 <= p0[n] && p1[n] <= a1 && alo <= lo[n] && hi[n] <= ahi;
                boolean alongElements = a0 == p0[n] && a1 == p1[n] && alo <= hi[n] && lo[n] <= ahi;
                boolean alongPartitions = alo == lo[n] && ahi == hi[n] && a0 <= p1[n] && p0[n] <= a1;
                if (contains || alongElements || alongPartitions) {
                    if (alongElements) {
                        alo = Math.min(alo, lo[n]);
                        ahi = Math.max(ahi, hi[n]);
                        changed = true;
                    } else if (alongPartitions) {
                        a0 = Math.min(a0, p0[n]);
                        a1 = Math.max(a1, p1[n]);
                        changed = true;
                    }
                    unlink(set, prev, n);
                } else {
                    prev = n;
                }
                n = following;
            }
        }
        push(set, a0, a1, alo, ahi);
    }

    /** Removes {@code [c0, c1) × [clo, chi)} from the union: each box it overlaps is replaced by its parts outside it. */
    void cut(int set, int c0, int c1, long clo, long chi) {
        int prev = NONE;
        int n = head[set];
        List<Box> pieces = null;
        Box cut = null;
        while (n != NONE) {
            int following = next[n];
            if (p0[n] < c1 && c0 < p1[n] && lo[n] < chi && clo < hi[n]) {
                if (pieces == null) {
                    pieces = new ArrayList<>(4);
                    cut = new Box(c0, c1, clo, chi);
                }
                box(n).subtract(cut, pieces);
                unlink(set, prev, n);
            } else {
                prev = n;
            }
            n = following;
        }
        if (pieces != null) {
            for (Box b : pieces) {
                push(set, b.p0(), b.p1(), b.lo(), b.hi());
            }
        }
    }

    private Box box(int n) {
        return new Box(p0[n], p1[n], lo[n], hi[n]);
    }

    private void unlink(int set, int prev, int n) {
        if (prev == NONE) {
            head[set] = next[n];
        } else {
            next[prev] = next[n];
        }
        release(n);
    }

    private void release(int n) {
        next[n] = free;
        free = n;
    }

    private void push(int set, int a0, int a1, long alo, long ahi) {
        int n;
        if (free != NONE) {
            n = free;
            free = next[n];
        } else {
            if (used == next.length) {
                int size = 2 * used;
                next = Arrays.copyOf(next, size);
                p0 = Arrays.copyOf(p0, size);
                p1 = Arrays.copyOf(p1, size);
                lo = Arrays.copyOf(lo, size);
                hi = Arrays.copyOf(hi, size);
            }
            n = used++;
        }
        p0[n] = a0;
        p1[n] = a1;
        lo[n] = alo;
        hi[n] = ahi;
        next[n] = head[set];
        head[set] = n;
    }
}
