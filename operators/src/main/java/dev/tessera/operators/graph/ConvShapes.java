package dev.tessera.operators.graph;

import java.util.ArrayList;
import java.util.List;

/**
 * Shape rules of sliding-window ops: Conv, ConvTranspose, MaxPool, AveragePool, GlobalAveragePool.
 * Tensors are NCHW-style: batch, channels, then one to three spatial dimensions.
 *
 * <p>For one spatial axis with input size {@code in}, kernel {@code k}, dilation {@code d}, stride
 * {@code s} and pads {@code pb, pe}, the effective kernel is {@code e = d*(k-1)+1} and the output
 * size is {@code floor((in + pb + pe - e) / s) + 1} (ceil instead of floor under {@code ceil_mode}).
 * With {@code auto_pad} SAME_UPPER or SAME_LOWER it is {@code ceil(in / s)}; VALID means no pads.
 * Example: in 224, k 7, s 2, pads 3+3 gives floor((224 + 6 - 7) / 2) + 1 = 112.
 */
final class ConvShapes {
    private static final String[] AUTO_PAD = {"NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"};

    private ConvShapes() {}

    /** Conv: X [N, C, D...], W [M, C/group, K...], optional B [M] give Y [N, M, O...]. */
    static List<TensorType> conv(OpContext c) {
        long group = checkDataAndWeight(c);
        int spatial = c.rank(0) - 2;
        List<Long> x = c.shape(0);
        List<Long> w = c.shape(1);
        if (x.get(1) % group != 0 || w.get(1) * group != x.get(1)) {
            throw c.fail("weight '" + c.node().inputs().get(1) + "' shape " + w + " does not match input channels "
                    + x.get(1) + " with group " + group + ": expected weight dimension 1 = " + x.get(1) + "/" + group);
        }
        long m = w.get(0);
        if (m % group != 0) {
            throw c.fail("output channels " + m + " of weight '" + c.node().inputs().get(1)
                    + "' are not divisible by group " + group);
        }
        List<Long> kernel = w.subList(2, w.size());
        checkKernelShape(c, kernel);
        if (c.hasInput(2)) {
            ElementwiseShapes.sameDType(c, 0, 2);
            c.requireShape(2, List.of(m), "bias");
        }
        List<Long> out = new ArrayList<>(List.of(x.get(0), m));
        out.addAll(window(c, x.subList(2, x.size()), kernel, spatial, false));
        return List.of(new TensorType(out, c.dtype(0)));
    }

    /**
     * ConvTranspose: X [N, C, D...], W [C, M/group, K...], optional B [M] give Y [N, M, O...] with
     * {@code O = s*(in-1) + output_padding + d*(k-1) + 1 - pb - pe}, or {@code in*s} under SAME
     * auto-padding, or the {@code output_shape} attribute when given.
     */
    static List<TensorType> convTranspose(OpContext c) {
        long group = checkDataAndWeight(c);
        int spatial = c.rank(0) - 2;
        List<Long> x = c.shape(0);
        List<Long> w = c.shape(1);
        if (!w.get(0).equals(x.get(1)) || x.get(1) % group != 0) {
            throw c.fail("weight '" + c.node().inputs().get(1) + "' shape " + w + " does not match input channels "
                    + x.get(1) + " with group " + group + ": expected weight dimension 0 = " + x.get(1));
        }
        long m = w.get(1) * group;
        List<Long> kernel = w.subList(2, w.size());
        checkKernelShape(c, kernel);
        if (c.hasInput(2)) {
            ElementwiseShapes.sameDType(c, 0, 2);
            c.requireShape(2, List.of(m), "bias");
        }
        List<Long> strides = positive(c, "strides", c.ints("strides", spatial, 1));
        List<Long> dilations = positive(c, "dilations", c.ints("dilations", spatial, 1));
        List<Long> outputPadding = c.ints("output_padding", spatial, 0);
        for (int i = 0; i < spatial; i++) {
            long op = outputPadding.get(i);
            if (op < 0 || (op >= strides.get(i) && op >= dilations.get(i))) {
                throw c.fail("attribute 'output_padding' = " + outputPadding
                        + " must be non-negative and smaller than the stride or the dilation on each axis");
            }
        }
        String autoPad = c.choice("auto_pad", AUTO_PAD);
        List<Long> out = new ArrayList<>(List.of(x.get(0), m));
        List<Long> outputShape = c.intsOrNull("output_shape");
        if (outputShape != null) {
            if (outputShape.size() != spatial) {
                throw c.fail("attribute 'output_shape' = " + outputShape + " has " + outputShape.size()
                        + " values, expected " + spatial);
            }
            out.addAll(positive(c, "output_shape", outputShape));
            return List.of(new TensorType(out, c.dtype(0)));
        }
        List<Long> pads = pads(c, autoPad, spatial);
        for (int i = 0; i < spatial; i++) {
            long in = x.get(2 + i);
            long s = strides.get(i);
            long o = autoPad.startsWith("SAME")
                    ? in * s
                    : s * (in - 1) + outputPadding.get(i) + dilations.get(i) * (kernel.get(i) - 1) + 1
                            - pads.get(i) - pads.get(i + spatial);
            if (o < 1) {
                throw c.fail("output size on spatial axis " + i + " would be " + o + " (input " + in + ", kernel "
                        + kernel.get(i) + ", pads " + pads + ")");
            }
            out.add(o);
        }
        return List.of(new TensorType(out, c.dtype(0)));
    }

    /** MaxPool and AveragePool: X [N, C, D...] gives Y [N, C, O...]; MaxPool may add int64 indices. */
    static List<TensorType> pool(OpContext c) {
        c.requireRank(0, 3, 4, 5);
        ElementwiseShapes.requireFloatingPoint(c, 0);
        int spatial = c.rank(0) - 2;
        List<Long> kernel = c.requiredInts("kernel_shape");
        if (kernel.size() != spatial) {
            throw c.fail("attribute 'kernel_shape' = " + kernel + " has " + kernel.size() + " values, expected "
                    + spatial + " for input shape " + c.shape(0));
        }
        positive(c, "kernel_shape", kernel);
        c.inRange("storage_order", c.intAttr("storage_order", 0), 0, 0);
        c.inRange("count_include_pad", c.intAttr("count_include_pad", 0), 0, 1);
        boolean ceil = c.inRange("ceil_mode", c.intAttr("ceil_mode", 0), 0, 1) == 1;
        List<Long> x = c.shape(0);
        List<Long> out = new ArrayList<>(x.subList(0, 2));
        out.addAll(window(c, x.subList(2, x.size()), kernel, spatial, ceil));
        TensorType y = new TensorType(out, c.dtype(0));
        return c.outputCount() == 2 ? List.of(y, new TensorType(out, DType.INT64)) : List.of(y);
    }

    /** GlobalAveragePool: X [N, C, D...] gives Y [N, C, 1...]. */
    static List<TensorType> globalPool(OpContext c) {
        c.requireRank(0, 3, 4, 5);
        ElementwiseShapes.requireFloatingPoint(c, 0);
        List<Long> out = new ArrayList<>(c.shape(0).subList(0, 2));
        for (int i = 2; i < c.rank(0); i++) {
            out.add(1L);
        }
        return List.of(new TensorType(out, c.dtype(0)));
    }

    /** Checks X and W of a (transposed) convolution agree in rank and dtype; returns the group count. */
    private static long checkDataAndWeight(OpContext c) {
        c.requireRank(0, 3, 4, 5);
        ElementwiseShapes.requireFloatingPoint(c, 0);
        c.requireRank(1, c.rank(0));
        ElementwiseShapes.sameDType(c, 0, 1);
        return c.inRange("group", c.intAttr("group", 1), 1, c.shape(0).get(1));
    }

    private static void checkKernelShape(OpContext c, List<Long> kernel) {
        List<Long> declared = c.intsOrNull("kernel_shape");
        if (declared != null && !declared.equals(kernel)) {
            throw c.fail("attribute 'kernel_shape' = " + declared + " does not match the weight's kernel " + kernel);
        }
    }

    private static List<Long> window(OpContext c, List<Long> in, List<Long> kernel, int spatial, boolean ceil) {
        List<Long> strides = positive(c, "strides", c.ints("strides", spatial, 1));
        List<Long> dilations = positive(c, "dilations", c.ints("dilations", spatial, 1));
        String autoPad = c.choice("auto_pad", AUTO_PAD);
        List<Long> pads = pads(c, autoPad, spatial);
        List<Long> out = new ArrayList<>(spatial);
        for (int i = 0; i < spatial; i++) {
            long size = in.get(i);
            long s = strides.get(i);
            long effective = dilations.get(i) * (kernel.get(i) - 1) + 1;
            long o;
            if (autoPad.startsWith("SAME")) {
                o = ceilDiv(size, s);
            } else {
                long span = size + pads.get(i) + pads.get(i + spatial) - effective;
                if (span < 0) {
                    throw c.fail("effective kernel " + effective + " exceeds the padded input " + (size + pads.get(i)
                            + pads.get(i + spatial)) + " on spatial axis " + i + " (input shape " + c.shape(0)
                            + ", kernel " + kernel + ", dilations " + dilations + ", pads " + pads + ")");
                }
                o = (ceil ? ceilDiv(span, s) : span / s) + 1;
                // A window may not start in the right padding (ONNX and PyTorch agree).
                if (ceil && (o - 1) * s >= size + pads.get(i)) {
                    o--;
                }
            }
            out.add(o);
        }
        return out;
    }

    private static List<Long> pads(OpContext c, String autoPad, int spatial) {
        if (!autoPad.equals("NOTSET")) {
            if (c.has("pads")) {
                throw c.fail("attributes 'pads' and 'auto_pad' = \"" + autoPad + "\" cannot be used together");
            }
            return c.ints("pads", 2 * spatial, 0);
        }
        List<Long> pads = c.ints("pads", 2 * spatial, 0);
        for (long p : pads) {
            if (p < 0) {
                throw c.fail("attribute 'pads' = " + pads + " must be non-negative");
            }
        }
        return pads;
    }

    private static List<Long> positive(OpContext c, String name, List<Long> values) {
        for (long v : values) {
            if (v < 1) {
                throw c.fail("attribute '" + name + "' = " + values + " must be positive");
            }
        }
        return values;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
