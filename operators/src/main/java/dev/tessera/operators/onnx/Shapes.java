package dev.tessera.operators.onnx;

import java.util.ArrayList;
import java.util.List;

/** Shape arithmetic shared by shape inference and constant folding. */
final class Shapes {
    private Shapes() {}

    static long elements(List<Long> shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /**
     * Numpy (multidirectional) broadcasting: shapes are aligned at the right, and each pair of
     * dimensions must be equal or one of them 1. Example: [2,1,4] and [3,1] give [2,3,4].
     *
     * @return the broadcast shape, or null when the shapes are incompatible
     */
    static List<Long> broadcast(List<Long> a, List<Long> b) {
        int rank = Math.max(a.size(), b.size());
        List<Long> out = new ArrayList<>(rank);
        for (int i = 0; i < rank; i++) {
            long da = i < rank - a.size() ? 1 : a.get(i - (rank - a.size()));
            long db = i < rank - b.size() ? 1 : b.get(i - (rank - b.size()));
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

    /** An axis in [-rank, rank) made non-negative, or -1 when it is out of range. */
    static int normalizeAxis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        return a < 0 || a >= rank ? -1 : (int) a;
    }

    /** Row-major strides of a shape. */
    static long[] strides(List<Long> shape) {
        long[] s = new long[shape.size()];
        long acc = 1;
        for (int i = shape.size() - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape.get(i);
        }
        return s;
    }

    /**
     * The elements one Slice axis keeps, after ONNX's clamping of start and end to the dimension.
     * Example: dim 10, start -3, end 2^63−1, step 1 keeps [7, 10), i.e. 3 elements from 7.
     *
     * @return {clamped start, element count}
     */
    static long[] sliceRange(long dim, long start, long end, long step) {
        if (start < 0) {
            start += dim;
        }
        if (end < 0) {
            end += dim;
        }
        if (step > 0) {
            start = clamp(start, 0, dim);
            end = clamp(end, 0, dim);
        } else {
            start = clamp(start, 0, dim - 1);
            end = clamp(end, -1, dim - 1);
        }
        long count = step > 0 ? ceilDiv(end - start, step) : ceilDiv(start - end, -step);
        return new long[] {start, Math.max(0, count)};
    }

    static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
