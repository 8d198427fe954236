package dev.tessera.operators.reference;

import java.util.Arrays;
import java.util.List;

/**
 * A dense fp32 tensor in row-major order: the values the reference interpreter computes with. The
 * shape is outermost first; a scalar has rank 0 and one element. Instances are not changed after
 * construction: kernels fill a fresh array and wrap it.
 */
public final class FloatTensor {
    private final int[] shape;
    private final float[] data;

    private FloatTensor(int[] shape, float[] data) {
        this.shape = shape;
        this.data = data;
    }

    /** Wraps {@code data} (not copied: the caller hands it over) with the given shape. */
    public static FloatTensor of(int[] shape, float[] data) {
        int[] s = shape.clone();
        long n = elementCount(s);
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(s) + " has " + n
                    + " elements but " + data.length + " values were given");
        }
        return new FloatTensor(s, data);
    }

    public static FloatTensor of(List<Long> shape, float[] data) {
        return of(toIntShape(shape), data);
    }

    public static FloatTensor zeros(int[] shape) {
        return of(shape, new float[Math.toIntExact(elementCount(shape))]);
    }

    static int[] toIntShape(List<Long> shape) {
        int[] s = new int[shape.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = Math.toIntExact(shape.get(i));
        }
        return s;
    }

    static long elementCount(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int axis) {
        return shape[axis];
    }

    public int[] shape() {
        return shape.clone();
    }

    public List<Long> shapeList() {
        return Arrays.stream(shape).mapToObj(d -> (long) d).toList();
    }

    public int size() {
        return data.length;
    }

    public float get(int flatIndex) {
        return data[flatIndex];
    }

    /** A copy of the values. */
    public float[] toArray() {
        return data.clone();
    }

    /** The values without a copy, for the kernels of this package, which only read them. */
    float[] values() {
        return data;
    }

    int[] dims() {
        return shape;
    }

    /** The same values under another shape with the same element count. */
    FloatTensor reshape(int[] newShape) {
        return of(newShape, data);
    }

    @Override
    public String toString() {
        return "FloatTensor" + Arrays.toString(shape);
    }
}
