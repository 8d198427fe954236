package dev.tessera.operators.onnx;

import dev.tessera.operators.graph.DType;
import java.util.Arrays;
import java.util.List;

/**
 * A small tensor whose values the importer knows: a folded shape computation, a Constant node, a
 * small initializer. Integer and bool tensors hold {@code long}s (exact, as ONNX shape arithmetic
 * needs: Slice ends may be 2^63 − 1); floating-point tensors hold doubles already rounded to the
 * tensor's precision.
 */
record ConstTensor(DType dtype, List<Long> shape, long[] ints, double[] reals) {
    ConstTensor {
        shape = List.copyOf(shape);
    }

    static ConstTensor ofInts(DType dtype, List<Long> shape, long[] values) {
        return new ConstTensor(dtype, shape, values, null);
    }

    static ConstTensor ofReals(DType dtype, List<Long> shape, double[] values) {
        return new ConstTensor(dtype, shape, null, values);
    }

    /** A 1-D int64 tensor, e.g. the output of Shape. */
    static ConstTensor vector(long... values) {
        return ofInts(DType.INT64, List.of((long) values.length), values);
    }

    boolean isInteger() {
        return ints != null;
    }

    int size() {
        return isInteger() ? ints.length : reals.length;
    }

    long intAt(int i) {
        return isInteger() ? ints[i] : (long) reals[i];
    }

    double realAt(int i) {
        return isInteger() ? ints[i] : reals[i];
    }

    /** The values as longs (floats truncated toward zero, as a Cast to int64 does). */
    long[] asLongs() {
        long[] out = new long[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = intAt(i);
        }
        return out;
    }

    double[] asDoubles() {
        double[] out = new double[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = realAt(i);
        }
        return out;
    }

    float[] asFloats() {
        float[] out = new float[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) realAt(i);
        }
        return out;
    }

    List<Long> asLongList() {
        return Arrays.stream(asLongs()).boxed().toList();
    }

    List<Double> asDoubleList() {
        return Arrays.stream(asDoubles()).boxed().toList();
    }
}
