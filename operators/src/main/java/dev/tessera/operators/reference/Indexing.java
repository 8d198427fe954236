package dev.tessera.operators.reference;

/** Row-major index arithmetic shared by the kernels. */
final class Indexing {
    private Indexing() {}

    static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /**
     * Strides for reading {@code in} as if broadcast to {@code out}: right-aligned, and 0 on every
     * axis where {@code in} has size 1 (or no axis at all), so one element serves the whole axis.
     */
    static int[] broadcastStrides(int[] in, int[] out) {
        int[] inStrides = strides(in);
        int[] s = new int[out.length];
        int offset = out.length - in.length;
        for (int d = 0; d < in.length; d++) {
            s[d + offset] = in[d] == 1 ? 0 : inStrides[d];
        }
        return s;
    }

    /** Advances a multi-index over {@code shape} by one (last axis fastest); false after the last. */
    static boolean next(int[] index, int[] shape) {
        for (int d = shape.length - 1; d >= 0; d--) {
            if (++index[d] < shape[d]) {
                return true;
            }
            index[d] = 0;
        }
        return false;
    }

    static int product(int[] shape, int from, int to) {
        int n = 1;
        for (int i = from; i < to; i++) {
            n *= shape[i];
        }
        return n;
    }
}
