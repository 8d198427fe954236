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

    /** out[i₀, …] = x[i at perm⁻¹]: output axis j is input axis perm[j]. */
    static FloatTensor transpose(Node node, FloatTensor x, int[] outShape) {
        int[] perm = Attrs.ints(node, "perm");
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

    /** Element i along each axis d is input element starts[d] + i·steps[d]. */
    static FloatTensor slice(Node node, FloatTensor x, int[] outShape) {
        int[] starts = Attrs.ints(node, "starts");
        int[] steps = Attrs.ints(node, "steps");
        int[] inStrides = Indexing.strides(x.dims());
        int[] srcStrides = new int[steps.length];
        int base = 0;
        for (int d = 0; d < steps.length; d++) {
            srcStrides[d] = inStrides[d] * steps[d];
            base += starts[d] * inStrides[d];
        }
        return strided(x, outShape, base, srcStrides);
    }

    static List<FloatTensor> split(Node node, FloatTensor x) {
        int axis = (int) Attrs.integer(node, "axis", 0);
        int[] sizes = Attrs.ints(node, "split");
        int[] d = x.dims();
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
     * gives {@code value}, edge clamps to the border, reflect mirrors without repeating the border.
     * Negative pads crop.
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
