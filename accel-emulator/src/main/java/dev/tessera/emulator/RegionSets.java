package dev.tessera.emulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Unions of boxes, one per set number (the run keeps one set per buffer: what has been written, and
 * for PSUM what a matmul wrote that no eviction has read yet). The boxes of all sets live in one
 * pool of primitive arrays, each set a chain through it, and freed boxes are reused, so adding and
 * cutting allocate nothing once the pool has grown to the run's working size. The head of set s's
 * chain is one int of s's record in a table the caller shares ({@code heads[s * stride + field]}),
 * beside the rest of what the run keeps per buffer.
 *
 * <p>A union is kept small: adding a box drops the boxes it contains and merges with a neighbour
 * that extends it along one axis. Example: adding [0, 128) × [0, 256) and then [0, 128) × [256, 512)
 * keeps the single box [0, 128) × [0, 512). Coverage is exact whatever the representation: a query
 * no single box contains is cut by every box in turn.
 */
final class RegionSets {
    /** The head of an empty set. */
    static final int NONE = -1;
    /** Per box: p0 × 2^32 + p1, lo, hi, next box of its set. */
    private static final int BOX = 4;

    private final int[] heads;
    private final int stride;
    private final int field;
    private long[] boxes;
    private int used;
    private int free = NONE;

    /** Sets whose heads are {@code heads[s * stride + field]}, which must start as {@link #NONE} (empty). */
    RegionSets(int[] heads, int stride, int field) {
        this.heads = heads;
        this.stride = stride;
        this.field = field;
        boxes = new long[64 * BOX];
    }

    private int head(int set) {
        return heads[set * stride + field];
    }

    private void head(int set, int n) {
        heads[set * stride + field] = n;
    }

    boolean isEmpty(int set) {
        return head(set) == NONE;
    }

    /** Whether some box of the set overlaps {@code [q0, q1) × [qlo, qhi)}. */
    boolean overlaps(int set, int q0, int q1, long qlo, long qhi) {
        for (int n = head(set); n != NONE; n = next(n)) {
            int at = n * BOX;
            if (p0(n) < q1 && q0 < p1(n) && boxes[at + 1] < qhi && qlo < boxes[at + 2]) {
                return true;
            }
        }
        return false;
    }

    /** Whether the union covers {@code [q0, q1) × [qlo, qhi)}. */
    boolean covers(int set, int q0, int q1, long qlo, long qhi) {
        for (int n = head(set); n != NONE; n = next(n)) {
            if (contains(n, q0, q1, qlo, qhi)) {
                return true;
            }
        }
        List<Box> left = List.of(new Box(q0, q1, qlo, qhi));
        for (int n = head(set); n != NONE; n = next(n)) {
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
            int n = head(set);
            while (n != NONE) {
                int following = next(n);
                int b0 = p0(n);
                int b1 = p1(n);
                long blo = boxes[n * BOX + 1];
                long bhi = boxes[n * BOX + 2];
                if (b0 <= a0 && a1 <= b1 && blo <= alo && ahi <= bhi) {
                    return;
                }
                boolean contains = a0 <= b0 && b1 <= a1 && alo <= blo && bhi <= ahi;
                boolean alongElements = a0 == b0 && a1 == b1 && alo <= bhi && blo <= ahi;
                boolean alongPartitions = alo == blo && ahi == bhi && a0 <= b1 && b0 <= a1;
                if (contains || alongElements || alongPartitions) {
                    if (alongElements) {
                        alo = Math.min(alo, blo);
                        ahi = Math.max(ahi, bhi);
                        changed = true;
                    } else if (alongPartitions) {
                        a0 = Math.min(a0, b0);
                        a1 = Math.max(a1, b1);
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
        int n = head(set);
        List<Box> pieces = null;
        Box cut = null;
        while (n != NONE) {
            int following = next(n);
            if (c0 <= p0(n) && p1(n) <= c1 && clo <= boxes[n * BOX + 1] && boxes[n * BOX + 2] <= chi) {
                // Inside the cut (an eviction of a whole accumulator): nothing of it is left.
                unlink(set, prev, n);
            } else if (p0(n) < c1 && c0 < p1(n) && boxes[n * BOX + 1] < chi && clo < boxes[n * BOX + 2]) {
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

    private boolean contains(int n, int q0, int q1, long qlo, long qhi) {
        int at = n * BOX;
        return p0(n) <= q0 && q1 <= p1(n) && boxes[at + 1] <= qlo && qhi <= boxes[at + 2];
    }

    private int p0(int n) {
        return (int) (boxes[n * BOX] >>> 32);
    }

    private int p1(int n) {
        return (int) boxes[n * BOX];
    }

    private int next(int n) {
        return (int) boxes[n * BOX + 3];
    }

    private Box box(int n) {
        return new Box(p0(n), p1(n), boxes[n * BOX + 1], boxes[n * BOX + 2]);
    }

    private void unlink(int set, int prev, int n) {
        if (prev == NONE) {
            head(set, next(n));
        } else {
            boxes[prev * BOX + 3] = next(n);
        }
        boxes[n * BOX + 3] = free;
        free = n;
    }

    private void push(int set, int a0, int a1, long alo, long ahi) {
        int n;
        if (free != NONE) {
            n = free;
            free = next(n);
        } else {
            if (used * BOX == boxes.length) {
                boxes = Arrays.copyOf(boxes, 2 * boxes.length);
            }
            n = used++;
        }
        int at = n * BOX;
        boxes[at] = (long) a0 << 32 | a1;
        boxes[at + 1] = alo;
        boxes[at + 2] = ahi;
        boxes[at + 3] = head(set);
        head(set, n);
    }
}
