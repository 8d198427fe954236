package dev.tessera.operators.reference;

import dev.tessera.operators.graph.Node;
import java.util.ArrayList;
import java.util.List;

/** Ops that move values without arithmetic: Concat, Transpose, Slice, Split, Pad, Gather. */
final class Layouts {
    private Layouts() {}

    static FloatTensor concat(Node node, List<FloatTensor> inputs, int[] outShape) {
        int axis = (int) Attrs.integer(node, "axis", 0);
        int outer = Indexing.product(outShape, 0, axis);
        float[] out = new float[Indexing.product(outShape, 0, outShape.length)];
        int pos = 0;
        for (int o = 0; o < outer; o++) {
            for (FloatTensor t : inputs) {
                int block = Indexing.product(t.dims(), axis, t.rank());
                System.arraycopy(t.values(), o * block, out, pos, block);
                pos += block;
            }
        }
        return FloatTensor.of(outShape, out);
    }

    /** out[i₀, …] = x[i at perm⁻¹]: output axis j is input axis perm[j] (default: the axes reversed). */
    static FloatTensor transpose(Node node, FloatTensor x, int[] outShape) {
        int[] perm = Attrs.has(node, "perm") ? Attrs.ints(node, "perm")
                : java.util.stream.IntStream.range(0, x.rank()).map(j -> x.rank() - 1 - j).toArray();
        int[] inStrides = Indexing.strides(x.dims());
        int[] srcStrides = new int[perm.length];
        for (int j = 0; j < perm.length; j++) {
            srcStrides[j] = inStrides[perm[j]];
        }
        return strided(x, outShape, 0, srcStrides);
    }

    /** out[i] = x[base + Σ i[d] · stride[d]] over the output's multi-index i. */
    private static FloatTensor strided(FloatTensor x, int[] outShape, int base, int[] srcStrides) {
        float[] xv = x.values();
        float[] out = new float[Indexing.product(outShape, 0, outShape.length)];
        int[] idx = new int[outShape.length];
        for (int i = 0; i < out.length; i++) {
            int src = base;
            for (int d = 0; d < idx.length; d++) {
                src += idx[d] * srcStrides[d];
            }
            out[i] = xv[src];
            Indexing.next(idx, outShape);
        }
        return FloatTensor.of(outShape, out);
    }

    /**
     * Element i along each sliced axis a is input element start_a + i·step_a, where {@code axes}
     * (default 0, 1, …; negative ones count from the end) names the sliced axes, a negative start
     * counts from the end and is then clamped to [0, d] for positive steps or [-1, d - 1] for
     * negative ones, and steps default to 1. Axes not named are copied whole.
     */
    static FloatTensor slice(Node node, FloatTensor x, int[] outShape) {
        int[] d = x.dims();
        int[] starts = Attrs.ints(node, "starts");
        int[] axes = Attrs.has(node, "axes") ? Attrs.ints(node, "axes") : java.util.stream.IntStream.range(0,
                starts.length).toArray();
        int[] steps = Attrs.has(node, "steps") ? Attrs.ints(node, "steps") : null;
        int[] inStrides = Indexing.strides(d);
        int[] srcStrides = inStrides.clone();
        int base = 0;
        for (int j = 0; j < starts.length; j++) {
            int a = axes[j] < 0 ? axes[j] + d.length : axes[j];
            int step = steps == null ? 1 : steps[j];
            int start = starts[j] < 0 ? starts[j] + d[a] : starts[j];
            start = step > 0 ? Math.min(Math.max(start, 0), d[a]) : Math.min(Math.max(start, -1), d[a] - 1);
            srcStrides[a] = inStrides[a] * step;
            base += start * inStrides[a];
        }
        return strided(x, outShape, base, srcStrides);
    }

    /**
     * Split along {@code axis} (negative counts from the end) into the sizes of {@code split}, or
     * into one equal part per output, the last one smaller when the size does not divide.
     */
    static List<FloatTensor> split(Node node, FloatTensor x) {
        int[] d = x.dims();
        int axis = (int) Attrs.integer(node, "axis", 0);
        axis = axis < 0 ? axis + d.length : axis;
        int[] sizes;
        if (Attrs.has(node, "split")) {
            sizes = Attrs.ints(node, "split");
        } else {
            int parts = node.outputs().size();
            int chunk = (d[axis] + parts - 1) / parts;
            sizes = new int[parts];
            java.util.Arrays.fill(sizes, chunk);
            sizes[parts - 1] = d[axis] - chunk * (parts - 1);
        }
        int outer = Indexing.product(d, 0, axis);
        int inner = Indexing.product(d, axis + 1, d.length);
        List<FloatTensor> outs = new ArrayList<>();
        int offset = 0;
        for (int size : sizes) {
            int[] shape = d.clone();
            shape[axis] = size;
            float[] out = new float[outer * size * inner];
            for (int o = 0; o < outer; o++) {
                System.arraycopy(x.values(), (o * d[axis] + offset) * inner, out, o * size * inner, size * inner);
            }
            outs.add(FloatTensor.of(shape, out));
            offset += size;
        }
        return outs;
    }

    /**
     * Output index i reads input index i − pads_begin on each axis; outside the input, constant mode
     * gives {@code value}, edge clamps to the border, reflect mirrors without repeating the border,
     * wrap continues periodically from the opposite side (index mod size). Negative pads crop.
     */
    static FloatTensor pad(Node node, FloatTensor x, int[] outShape) {
        int[] pads = Attrs.ints(node, "pads");
        String mode = Attrs.string(node, "mode", "constant");
        float value = (float) Attrs.real(node, "value", 0);
        int rank = x.rank();
        int[] d = x.dims();
        int[] inStrides = Indexing.strides(d);
        float[] xv = x.values();
        float[] out = new float[Indexing.product(outShape, 0, rank)];
        int[] idx = new int[rank];
        for (int i = 0; i < out.length; i++) {
            int src = 0;
            boolean outside = false;
            for (int k = 0; k < rank; k++) {
                int p = idx[k] - pads[k];
                if (p < 0 || p >= d[k]) {
                    switch (mode) {
                        case "edge" -> p = Math.max(0, Math.min(d[k] - 1, p));
                        case "reflect" -> p = reflect(p, d[k]);
                        case "wrap" -> p = Math.floorMod(p, d[k]);
                        default -> outside = true;
                    }
                }
                src += p * inStrides[k];
            }
            out[i] = outside ? value : xv[src];
            Indexing.next(idx, outShape);
        }
        return FloatTensor.of(outShape, out);
    }

    private static int reflect(int p, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int m = Math.floorMod(p, period);
        return m < n ? m : period - m;
    }

    /** out[a…, j…, b…] = data[a…, indices[j…], b…]; negative indices count from the end. */
    static FloatTensor gather(Node node, FloatTensor data, FloatTensor indices, int[] outShape) {
        int axis = (int) Attrs.integer(node, "axis", 0);
        int[] d = data.dims();
        int outer = Indexing.product(d, 0, axis);
        int inner = Indexing.product(d, axis + 1, d.length);
        int n = indices.size();
        float[] out = new float[outer * n * inner];
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < n; j++) {
                int k = (int) indices.get(j);
                if (k < 0) {
                    k += d[axis];
                }
                if (k < 0 || k >= d[axis]) {
                    throw new IllegalArgumentException("Gather '" + node.name() + "': index " + (int) indices.get(j)
                            + " is out of range for dimension " + d[axis]);
                }
                System.arraycopy(data.values(), (o * d[axis] + k) * inner, out, (o * n + j) * inner, inner);
            }
        }
        return FloatTensor.of(outShape, out);
    }
}
