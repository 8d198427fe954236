package dev.tessera.operators.reference;

import dev.tessera.operators.graph.Node;

/**
 * Resize, separable over the axes: each output coordinate o of an axis maps to an input coordinate
 * x by the {@code coordinate_transformation_mode}, with scale s and resized length L = in·s:
 * half_pixel (o + ½)/s − ½; half_pixel_symmetric the same plus (in/2)·(1 − out/L), which centres
 * the sampled window when out differs from L; pytorch_half_pixel (o + ½)/s − ½, or 0 when L ≤ 1;
 * align_corners o·(in − 1)/(L − 1); asymmetric o/s; tf_half_pixel_for_nn (o + ½)/s; tf_crop_and_resize
 * roi_start·(in − 1) + o·(roi_end − roi_start)·(in − 1)/(out − 1), where an x outside [0, in − 1]
 * yields {@code extrapolation_value}. Each output element is then Σ over axes' taps of the product of
 * the tap weights times the input there: nearest one tap (x rounded by {@code nearest_mode}), linear
 * two (x clamped to [0, in − 1]), cubic four (Keys' kernel with coefficient A, edge-clamped or, with
 * {@code exclude_outside}, renormalised over the taps inside). Coordinates are computed in float.
 *
 * <p>Example: linear, half_pixel, in 2 → out 4 (s = 2): o = 1 gives x = 0.25, so 0.75·v₀ + 0.25·v₁.
 */
final class Resize {
    private Resize() {}

    /** The input positions and weights that make one output coordinate. */
    private record Taps(int[] index, double[] weight, boolean outside) {}

    static FloatTensor resize(Node node, FloatTensor x, int[] outShape) {
        String mode = Attrs.string(node, "mode", "nearest");
        String coordinates = Attrs.string(node, "coordinate_transformation_mode", "half_pixel");
        String nearest = Attrs.string(node, "nearest_mode", "round_prefer_floor");
        double[] scales = Attrs.has(node, "scales") ? Attrs.reals(node, "scales") : sizeRatios(x.dims(), outShape);
        double[] roi = Attrs.has(node, "roi") ? Attrs.reals(node, "roi") : null;
        double a = Attrs.real(node, "cubic_coeff_a", -0.75);
        boolean excludeOutside = Attrs.integer(node, "exclude_outside", 0) != 0;
        float extrapolation = (float) Attrs.real(node, "extrapolation_value", 0);
        int rank = x.rank();
        int[] in = x.dims();
        Taps[][] taps = new Taps[rank][];
        for (int d = 0; d < rank; d++) {
            taps[d] = new Taps[outShape[d]];
            for (int o = 0; o < outShape[d]; o++) {
                float c = source(coordinates, o, (float) scales[d], in[d], outShape[d],
                        roi == null ? 0 : roi[d], roi == null ? 1 : roi[d + rank]);
                boolean outside = coordinates.equals("tf_crop_and_resize") && (c < 0 || c > in[d] - 1);
                taps[d][o] = switch (mode) {
                    case "linear" -> linear(c, in[d], outside);
                    case "cubic" -> cubic(c, in[d], a, excludeOutside, outside);
                    default -> new Taps(new int[] {Math.max(0, Math.min(in[d] - 1, round(nearest, c)))},
                            new double[] {1}, outside);
                };
            }
        }
        int[] strides = Indexing.strides(in);
        float[] xv = x.values();
        float[] out = new float[Indexing.product(outShape, 0, rank)];
        int[] idx = new int[rank];
        int[] tap = new int[rank];
        int[] tapCounts = new int[rank];
        for (int i = 0; i < out.length; i++) {
            boolean outside = false;
            for (int d = 0; d < rank; d++) {
                tapCounts[d] = taps[d][idx[d]].index().length;
                outside |= taps[d][idx[d]].outside();
                tap[d] = 0;
            }
            double acc = 0;
            if (!outside) {
                do {
                    double w = 1;
                    int src = 0;
                    for (int d = 0; d < rank; d++) {
                        Taps t = taps[d][idx[d]];
                        w *= t.weight()[tap[d]];
                        src += t.index()[tap[d]] * strides[d];
                    }
                    if (w != 0) {
                        acc += w * xv[src];
                    }
                } while (Indexing.next(tap, tapCounts));
            }
            out[i] = outside ? extrapolation : (float) acc;
            Indexing.next(idx, outShape);
        }
        return FloatTensor.of(outShape, out);
    }

    /** With {@code sizes} instead of {@code scales}, ONNX's scale of each axis is out/in. */
    private static double[] sizeRatios(int[] in, int[] out) {
        double[] r = new double[in.length];
        for (int d = 0; d < in.length; d++) {
            r[d] = (double) out[d] / in[d];
        }
        return r;
    }

    private static Taps linear(float c, int in, boolean outside) {
        c = Math.max(0f, Math.min(c, in - 1));
        int i0 = (int) Math.floor(c);
        double w = c - i0;
        return new Taps(new int[] {i0, Math.min(i0 + 1, in - 1)}, new double[] {1 - w, w}, outside);
    }

    /** Keys' cubic convolution weights for the taps ⌊x⌋ − 1 … ⌊x⌋ + 2. */
    private static Taps cubic(float c, int in, double a, boolean excludeOutside, boolean outside) {
        int base = (int) Math.floor(c);
        double t = c - base;
        double[] w = new double[4];
        int[] index = new int[4];
        double sum = 0;
        for (int k = 0; k < 4; k++) {
            double dist = Math.abs(t - (k - 1));
            w[k] = dist <= 1 ? ((a + 2) * dist - (a + 3)) * dist * dist + 1
                    : dist < 2 ? ((a * dist - 5 * a) * dist + 8 * a) * dist - 4 * a : 0;
            int p = base + k - 1;
            if (excludeOutside && (p < 0 || p >= in)) {
                w[k] = 0;
            }
            sum += w[k];
            index[k] = Math.max(0, Math.min(in - 1, p));
        }
        if (excludeOutside && sum != 0) {
            for (int k = 0; k < 4; k++) {
                w[k] /= sum;
            }
        }
        return new Taps(index, w, outside);
    }

    private static float source(String mode, int o, float scale, int in, int out, double roiStart, double roiEnd) {
        float resized = in * scale;
        return switch (mode) {
            case "half_pixel" -> (o + 0.5f) / scale - 0.5f;
            case "half_pixel_symmetric" -> in / 2f * (1 - out / resized) + (o + 0.5f) / scale - 0.5f;
            case "pytorch_half_pixel" -> resized > 1 ? (o + 0.5f) / scale - 0.5f : 0f;
            case "align_corners" -> resized == 1 ? 0f : o * (float) (in - 1) / (resized - 1);
            case "tf_half_pixel_for_nn" -> (o + 0.5f) / scale;
            case "tf_crop_and_resize" -> out > 1
                    ? (float) (roiStart * (in - 1) + o * (roiEnd - roiStart) * (in - 1) / (out - 1))
                    : (float) (0.5 * (roiStart + roiEnd) * (in - 1));
            default -> o / scale;
        };
    }

    private static int round(String mode, float c) {
        double f = Math.floor(c);
        return switch (mode) {
            case "floor" -> (int) f;
            case "ceil" -> (int) Math.ceil(c);
            case "round_prefer_ceil" -> c - f == 0.5 ? (int) f + 1 : (int) Math.round((double) c);
            default -> c - f == 0.5 ? (int) f : (int) Math.round((double) c);
        };
    }
}
