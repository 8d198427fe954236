package dev.tessera.operators.reference;

import dev.tessera.operators.graph.Node;

/**
 * Conv, ConvTranspose and pooling over 1 to 3 spatial axes. Every case is computed in a 3-D loop
 * nest: fewer spatial axes are padded in front with axes of size 1 (kernel 1, stride 1, no padding),
 * which changes no value. Accumulation is in double.
 */
final class Convolutions {
    private Convolutions() {}

    /** Spatial geometry promoted to three axes. */
    private record Geometry(int[] in, int[] out, int[] kernel, int[] strides, int[] dilations, int[] padBegin) {
        static Geometry of(Node node, int[] inShape, int[] outShape, int[] kernel) {
            int spatial = inShape.length - 2;
            if (spatial > 3) {
                throw new IllegalArgumentException(node.opType() + " over " + spatial + " spatial axes is not supported");
            }
            int[] strides = Attrs.ints(node, "strides");
            int[] dilations = Attrs.ints(node, "dilations");
            int[] pads = Attrs.ints(node, "pads");
            Geometry g = new Geometry(ones(), ones(), ones(), ones(), ones(), new int[3]);
            for (int i = 0; i < spatial; i++) {
                int j = 3 - spatial + i;
                g.in[j] = inShape[2 + i];
                g.out[j] = outShape[2 + i];
                g.kernel[j] = kernel[i];
                g.strides[j] = strides[i];
                g.dilations[j] = dilations[i];
                g.padBegin[j] = pads[i];
            }
            return g;
        }

        private static int[] ones() {
            return new int[] {1, 1, 1};
        }

        int inSize() {
            return in[0] * in[1] * in[2];
        }

        int outSize() {
            return out[0] * out[1] * out[2];
        }

        int kernelSize() {
            return kernel[0] * kernel[1] * kernel[2];
        }
    }

    /** y[n, m, o] = b[m] + Σ_{c in m's group, k} x[n, c, o·s − p + k·d] · w[m, c − group start, k]. */
    static FloatTensor conv(Node node, FloatTensor x, FloatTensor w, FloatTensor bias, int[] outShape) {
        int group = (int) Attrs.integer(node, "group", 1);
        int[] wd = w.dims();
        int[] kernel = java.util.Arrays.copyOfRange(wd, 2, wd.length);
        Geometry g = Geometry.of(node, x.dims(), outShape, kernel);
        int batch = x.dim(0);
        int channels = x.dim(1);
        int maps = wd[0];
        int perGroupIn = channels / group;
        int perGroupOut = maps / group;
        float[] xv = x.values();
        float[] wv = w.values();
        float[] out = new float[Indexing.product(outShape, 0, outShape.length)];
        int inSize = g.inSize();
        int outSize = g.outSize();
        int kSize = g.kernelSize();
        for (int n = 0; n < batch; n++) {
            for (int m = 0; m < maps; m++) {
                int firstChannel = (m / perGroupOut) * perGroupIn;
                double b = bias == null ? 0 : bias.get(m);
                for (int o0 = 0; o0 < g.out[0]; o0++) {
                    for (int o1 = 0; o1 < g.out[1]; o1++) {
                        for (int o2 = 0; o2 < g.out[2]; o2++) {
                            double acc = b;
                            for (int c = 0; c < perGroupIn; c++) {
                                int xBase = (n * channels + firstChannel + c) * inSize;
                                int wBase = (m * perGroupIn + c) * kSize;
                                for (int k0 = 0; k0 < g.kernel[0]; k0++) {
                                    int i0 = o0 * g.strides[0] - g.padBegin[0] + k0 * g.dilations[0];
                                    if (i0 < 0 || i0 >= g.in[0]) {
                                        continue;
                                    }
                                    for (int k1 = 0; k1 < g.kernel[1]; k1++) {
                                        int i1 = o1 * g.strides[1] - g.padBegin[1] + k1 * g.dilations[1];
                                        if (i1 < 0 || i1 >= g.in[1]) {
                                            continue;
                                        }
                                        for (int k2 = 0; k2 < g.kernel[2]; k2++) {
                                            int i2 = o2 * g.strides[2] - g.padBegin[2] + k2 * g.dilations[2];
                                            if (i2 < 0 || i2 >= g.in[2]) {
                                                continue;
                                            }
                                            acc += (double) xv[xBase + (i0 * g.in[1] + i1) * g.in[2] + i2]
                                                    * wv[wBase + (k0 * g.kernel[1] + k1) * g.kernel[2] + k2];
                                        }
                                    }
                                }
                            }
                            out[(n * maps + m) * outSize + (o0 * g.out[1] + o1) * g.out[2] + o2] = (float) acc;
                        }
                    }
                }
            }
        }
        return FloatTensor.of(outShape, out);
    }

    /**
     * The transpose (gradient) of Conv: every input element scatters x[n, c, i] · w[c, m, k] into
     * y[n, group·M/G + m, i·s − p + k·d]; positions outside the output are dropped.
     */
    static FloatTensor convTranspose(Node node, FloatTensor x, FloatTensor w, FloatTensor bias, int[] outShape) {
        int group = (int) Attrs.integer(node, "group", 1);
        int[] wd = w.dims();
        int[] kernel = java.util.Arrays.copyOfRange(wd, 2, wd.length);
        Geometry g = Geometry.of(node, x.dims(), outShape, kernel);
        int batch = x.dim(0);
        int channels = x.dim(1);
        int perGroupIn = channels / group;
        int perGroupOut = wd[1];
        int maps = perGroupOut * group;
        float[] xv = x.values();
        float[] wv = w.values();
        int inSize = g.inSize();
        int outSize = g.outSize();
        int kSize = g.kernelSize();
        double[] acc = new double[batch * maps * outSize];
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {
                int grp = c / perGroupIn;
                for (int i0 = 0; i0 < g.in[0]; i0++) {
                    for (int i1 = 0; i1 < g.in[1]; i1++) {
                        for (int i2 = 0; i2 < g.in[2]; i2++) {
                            double xval = xv[(n * channels + c) * inSize + (i0 * g.in[1] + i1) * g.in[2] + i2];
                            for (int m = 0; m < perGroupOut; m++) {
                                int wBase = (c * perGroupOut + m) * kSize;
                                int oBase = (n * maps + grp * perGroupOut + m) * outSize;
                                for (int k0 = 0; k0 < g.kernel[0]; k0++) {
                                    int o0 = i0 * g.strides[0] - g.padBegin[0] + k0 * g.dilations[0];
                                    if (o0 < 0 || o0 >= g.out[0]) {
                                        continue;
                                    }
                                    for (int k1 = 0; k1 < g.kernel[1]; k1++) {
                                        int o1 = i1 * g.strides[1] - g.padBegin[1] + k1 * g.dilations[1];
                                        if (o1 < 0 || o1 >= g.out[1]) {
                                            continue;
                                        }
                                        for (int k2 = 0; k2 < g.kernel[2]; k2++) {
                                            int o2 = i2 * g.strides[2] - g.padBegin[2] + k2 * g.dilations[2];
                                            if (o2 < 0 || o2 >= g.out[2]) {
                                                continue;
                                            }
                                            acc[oBase + (o0 * g.out[1] + o1) * g.out[2] + o2] +=
                                                    xval * wv[wBase + (k0 * g.kernel[1] + k1) * g.kernel[2] + k2];
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        float[] out = new float[acc.length];
        for (int i = 0; i < acc.length; i++) {
            out[i] = (float) (acc[i] + (bias == null ? 0 : bias.get((i / outSize) % maps)));
        }
        return FloatTensor.of(outShape, out);
    }

    /**
     * MaxPool: the maximum over the window positions inside the input (padding never wins).
     * AveragePool: the sum over positions inside the input, divided by their count, or with
     * {@code count_include_pad} by the window's extent clipped to the padded input. MaxPool also
     * returns the Indices output: the flat index into x of each maximum (first on ties), with the
     * spatial axes in row-major order, or reversed (column-major) when {@code storage_order} is 1.
     */
    static java.util.List<FloatTensor> pool(Node node, FloatTensor x, int[] outShape) {
        boolean max = node.opType().equals("MaxPool");
        boolean includePad = Attrs.integer(node, "count_include_pad", 0) != 0;
        boolean columnMajor = Attrs.integer(node, "storage_order", 0) != 0;
        int[] kernel = Attrs.ints(node, "kernel_shape");
        int spatial = x.rank() - 2;
        int[] pads = Attrs.ints(node, "pads");
        Geometry g = Geometry.of(node, x.dims(), outShape, kernel);
        int[] padEnd = new int[3];
        for (int i = 0; i < spatial; i++) {
            padEnd[3 - spatial + i] = pads[spatial + i];
        }
        int planes = x.dim(0) * x.dim(1);
        float[] xv = x.values();
        int inSize = g.inSize();
        int outSize = g.outSize();
        float[] out = new float[planes * outSize];
        float[] argmax = new float[out.length];
        int[] o = new int[3];
        int[] start = new int[3];
        for (int p = 0; p < planes; p++) {
            for (int flat = 0; flat < outSize; flat++) {
                o[0] = flat / (g.out[1] * g.out[2]);
                o[1] = (flat / g.out[2]) % g.out[1];
                o[2] = flat % g.out[2];
                int padded = 1;
                for (int d = 0; d < 3; d++) {
                    start[d] = o[d] * g.strides[d] - g.padBegin[d];
                    int end = Math.min(start[d] + (g.kernel[d] - 1) * g.dilations[d] + 1, g.in[d] + padEnd[d]);
                    padded *= Math.max(0, ceilDiv(end - start[d], g.dilations[d]));
                }
                double acc = max ? Double.NEGATIVE_INFINITY : 0;
                int count = 0;
                int best = -1;
                for (int k0 = 0; k0 < g.kernel[0]; k0++) {
                    int i0 = start[0] + k0 * g.dilations[0];
                    if (i0 < 0 || i0 >= g.in[0]) {
                        continue;
                    }
                    for (int k1 = 0; k1 < g.kernel[1]; k1++) {
                        int i1 = start[1] + k1 * g.dilations[1];
                        if (i1 < 0 || i1 >= g.in[1]) {
                            continue;
                        }
                        for (int k2 = 0; k2 < g.kernel[2]; k2++) {
                            int i2 = start[2] + k2 * g.dilations[2];
                            if (i2 < 0 || i2 >= g.in[2]) {
                                continue;
                            }
                            int at = p * inSize + (i0 * g.in[1] + i1) * g.in[2] + i2;
                            float v = xv[at];
                            if (!max) {
                                acc += v;
                            } else if (v > acc || best < 0) {
                                acc = v;
                                best = columnMajor ? p * inSize + (i2 * g.in[1] + i1) * g.in[0] + i0 : at;
                            }
                            count++;
                        }
                    }
                }
                out[p * outSize + flat] = (float) (max ? acc : acc / (includePad ? padded : count));
                argmax[p * outSize + flat] = best;
            }
        }
        return java.util.List.of(FloatTensor.of(outShape, out), FloatTensor.of(outShape, argmax));
    }

    static FloatTensor globalAveragePool(FloatTensor x, int[] outShape) {
        int planes = x.dim(0) * x.dim(1);
        int size = x.size() / Math.max(1, planes);
        float[] xv = x.values();
        float[] out = new float[planes];
        for (int p = 0; p < planes; p++) {
            double sum = 0;
            for (int i = 0; i < size; i++) {
                sum += xv[p * size + i];
            }
            out[p] = (float) (sum / size);
        }
        return FloatTensor.of(outShape, out);
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }
}
