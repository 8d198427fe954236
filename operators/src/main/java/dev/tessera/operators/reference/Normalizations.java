package dev.tessera.operators.reference;

import dev.tessera.operators.graph.Node;

/** BatchNormalization, LayerNormalization, Softmax and ReduceMean; sums in double. */
final class Normalizations {
    private Normalizations() {}

    /** y = (x − mean[c]) / √(var[c] + ε) · scale[c] + bias[c], c the axis-1 channel. */
    static FloatTensor batchNormalization(Node node, FloatTensor x, FloatTensor scale, FloatTensor bias,
            FloatTensor mean, FloatTensor var) {
        double eps = Attrs.real(node, "epsilon", 1e-5);
        int channels = x.rank() > 1 ? x.dim(1) : 1;
        int inner = x.rank() > 2 ? Indexing.product(x.dims(), 2, x.rank()) : 1;
        float[] xv = x.values();
        float[] out = new float[xv.length];
        for (int i = 0; i < xv.length; i++) {
            int c = (i / inner) % channels;
            out[i] = (float) ((xv[i] - mean.get(c)) / Math.sqrt(var.get(c) + eps) * scale.get(c) + bias.get(c));
        }
        return FloatTensor.of(x.dims(), out);
    }

    /**
     * Normalises over the axes from {@code axis} to the last: y = (x − μ) / √(σ² + ε) · scale + bias,
     * μ and σ² the mean and (population) variance of each such block; scale and bias broadcast to it.
     * Returns y, μ and 1/√(σ² + ε), the last two shaped x[:axis] + [1]·(rank − axis).
     */
    static java.util.List<FloatTensor> layerNormalization(Node node, FloatTensor x, FloatTensor scale, FloatTensor bias) {
        int axis = (int) Attrs.integer(node, "axis", -1);
        axis = axis < 0 ? axis + x.rank() : axis;
        double eps = Attrs.real(node, "epsilon", 1e-5);
        int[] blockShape = java.util.Arrays.copyOfRange(x.dims(), axis, x.rank());
        int block = Indexing.product(blockShape, 0, blockShape.length);
        float[] sv = Elementwise.broadcastTo(scale, blockShape);
        float[] bv = bias == null ? new float[block] : Elementwise.broadcastTo(bias, blockShape);
        float[] xv = x.values();
        float[] out = new float[xv.length];
        float[] means = new float[xv.length / Math.max(1, block)];
        float[] invStdDevs = new float[means.length];
        for (int start = 0; start < xv.length; start += block) {
            double sum = 0;
            for (int i = 0; i < block; i++) {
                sum += xv[start + i];
            }
            double mu = sum / block;
            double sq = 0;
            for (int i = 0; i < block; i++) {
                double d = xv[start + i] - mu;
                sq += d * d;
            }
            double inv = 1 / Math.sqrt(sq / block + eps);
            means[start / block] = (float) mu;
            invStdDevs[start / block] = (float) inv;
            for (int i = 0; i < block; i++) {
                out[start + i] = (float) ((xv[start + i] - mu) * inv * sv[i] + bv[i]);
            }
        }
        int[] statShape = x.dims().clone();
        for (int d = axis; d < statShape.length; d++) {
            statShape[d] = 1;
        }
        return java.util.List.of(FloatTensor.of(x.dims(), out), FloatTensor.of(statShape, means),
                FloatTensor.of(statShape, invStdDevs));
    }

    /** softmax along one axis: e^(x − max) / Σ e^(x − max). */
    static FloatTensor softmax(Node node, FloatTensor x) {
        int axis = (int) Attrs.integer(node, "axis", x.rank() - 1);
        int[] d = x.dims();
        int n = d[axis];
        int inner = Indexing.product(d, axis + 1, d.length);
        int outer = Indexing.product(d, 0, axis);
        float[] xv = x.values();
        float[] out = new float[xv.length];
        double[] e = new double[n];
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * n * inner + in;
                double max = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    max = Math.max(max, xv[base + i * inner]);
                }
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    e[i] = Math.exp(xv[base + i * inner] - max);
                    sum += e[i];
                }
                for (int i = 0; i < n; i++) {
                    out[base + i * inner] = (float) (e[i] / sum);
                }
            }
        }
        return FloatTensor.of(d, out);
    }

    /**
     * The mean over {@code axes} (negative ones count from the end; all axes when absent or empty,
     * none with {@code noop_with_empty_axes}); the output shape (kept or dropped axes) comes from
     * the graph.
     */
    static FloatTensor reduceMean(Node node, FloatTensor x, int[] outShape) {
        int[] d = x.dims();
        int[] axes = Attrs.has(node, "axes") ? Attrs.ints(node, "axes") : new int[0];
        if (axes.length == 0 && Attrs.integer(node, "noop_with_empty_axes", 0) == 0) {
            axes = java.util.stream.IntStream.range(0, d.length).toArray();
        }
        boolean[] reduced = new boolean[d.length];
        long count = 1;
        int[] keptShape = d.clone();
        for (int axis : axes) {
            int a = axis < 0 ? axis + d.length : axis;
            reduced[a] = true;
            count *= d[a];
            keptShape[a] = 1;
        }
        int[] keptStrides = Indexing.strides(keptShape);
        double[] sums = new double[Indexing.product(keptShape, 0, keptShape.length)];
        float[] xv = x.values();
        int[] idx = new int[d.length];
        for (int i = 0; i < xv.length; i++) {
            int target = 0;
            for (int k = 0; k < d.length; k++) {
                target += reduced[k] ? 0 : idx[k] * keptStrides[k];
            }
            sums[target] += xv[i];
            Indexing.next(idx, d);
        }
        float[] out = new float[sums.length];
        for (int i = 0; i < sums.length; i++) {
            out[i] = (float) (sums[i] / count);
        }
        return FloatTensor.of(outShape, out);
    }
}
