package dev.tessera.operators.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Shape rules of data-movement ops: Concat, Reshape, Flatten, Transpose, Squeeze, Unsqueeze, Slice,
 * Split, Pad, Gather, Resize. Constants that ONNX passes as inputs are attributes here (see
 * {@link Attribute}).
 */
final class TensorShapes {
    private TensorShapes() {}

    /** Concat along {@code axis}: equal ranks and dtypes, equal sizes except on the axis, which add up. */
    static List<TensorType> concat(OpContext c) {
        int rank = c.rank(0);
        int axis = c.axis("axis", c.requiredInt("axis"), rank);
        List<Long> out = new ArrayList<>(c.shape(0));
        for (int i = 1; i < c.inputCount(); i++) {
            ElementwiseShapes.sameDType(c, 0, i);
            List<Long> s = c.shape(i);
            boolean compatible = s.size() == rank;
            for (int d = 0; compatible && d < rank; d++) {
                compatible = d == axis || s.get(d).equals(out.get(d));
            }
            if (!compatible) {
                throw c.fail("input " + i + " ('" + c.node().inputs().get(i) + "') has shape " + s
                        + ", which differs from " + c.shape(0) + " outside axis " + axis);
            }
            out.set(axis, Math.addExact(out.get(axis), s.get(axis)));
        }
        return List.of(new TensorType(out, c.dtype(0)));
    }

    /**
     * Reshape to the {@code shape} attribute: 0 copies the input's size on that axis (unless
     * {@code allowzero}), one -1 takes whatever size keeps the element count.
     * Example: [1, 128, 768] with shape [0, 0, 12, 64] gives [1, 128, 12, 64].
     */
    static List<TensorType> reshape(OpContext c) {
        List<Long> target = c.requiredInts("shape");
        c.inRange("allowzero", c.intAttr("allowzero", 0), 0, 0);
        List<Long> in = c.shape(0);
        long elements = product(in, 0, in.size());
        List<Long> out = new ArrayList<>(target.size());
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < target.size(); i++) {
            long t = target.get(i);
            if (t == -1) {
                if (inferred >= 0) {
                    throw c.fail("attribute 'shape' = " + target + " has more than one -1");
                }
                inferred = i;
                out.add(-1L);
                continue;
            }
            if (t == 0) {
                if (i >= in.size()) {
                    throw c.fail("attribute 'shape' = " + target + " copies axis " + i + " (0) but the input "
                            + in + " has rank " + in.size());
                }
                t = in.get(i);
            } else if (t < -1) {
                throw c.fail("attribute 'shape' = " + target + " has the invalid size " + t);
            }
            out.add(t);
            known = Math.multiplyExact(known, t);
        }
        if (inferred >= 0) {
            if (elements % known != 0) {
                throw c.fail("cannot reshape " + in + " (" + elements + " elements) to " + target);
            }
            out.set(inferred, elements / known);
        } else if (known != elements) {
            throw c.fail("cannot reshape " + in + " (" + elements + " elements) to " + target + " (" + known
                    + " elements)");
        }
        return List.of(new TensorType(out, c.dtype(0)));
    }

    /** Flatten at {@code axis} (default 1): [d0..dn] gives [d0*..*d(axis-1), d(axis)*..*dn]. */
    static List<TensorType> flatten(OpContext c) {
        List<Long> in = c.shape(0);
        long axis = c.inRange("axis", c.intAttr("axis", 1), -in.size(), in.size());
        int a = (int) (axis < 0 ? axis + in.size() : axis);
        return List.of(new TensorType(List.of(product(in, 0, a), product(in, a, in.size())), c.dtype(0)));
    }

    /** Transpose by {@code perm} (default: reverse the axes): output axis i is input axis perm[i]. */
    static List<TensorType> transpose(OpContext c) {
        List<Long> in = c.shape(0);
        List<Long> perm = c.intsOrNull("perm");
        List<Long> out = new ArrayList<>(in.size());
        if (perm == null) {
            for (int i = in.size() - 1; i >= 0; i--) {
                out.add(in.get(i));
            }
            return List.of(new TensorType(out, c.dtype(0)));
        }
        TreeSet<Long> seen = new TreeSet<>(perm);
        if (perm.size() != in.size() || seen.size() != in.size() || seen.first() != 0
                || seen.last() != in.size() - 1) {
            throw c.fail("attribute 'perm' = " + perm + " is not a permutation of the " + in.size()
                    + " axes of input shape " + in);
        }
        for (long p : perm) {
            out.add(in.get((int) p));
        }
        return List.of(new TensorType(out, c.dtype(0)));
    }

    /** Squeeze: removes the size-1 axes in {@code axes}, or every size-1 axis when absent. */
    static List<TensorType> squeeze(OpContext c) {
        List<Long> in = c.shape(0);
        List<Long> axesAttr = c.intsOrNull("axes");
        TreeSet<Integer> axes = new TreeSet<>();
        if (axesAttr == null) {
            for (int i = 0; i < in.size(); i++) {
                if (in.get(i) == 1) {
                    axes.add(i);
                }
            }
        } else {
            for (long a : axesAttr) {
                int axis = c.axis("axes", a, in.size());
                if (in.get(axis) != 1 || !axes.add(axis)) {
                    throw c.fail("attribute 'axes' = " + axesAttr + " names axis " + axis + " of shape " + in
                            + ", which is not a distinct size-1 axis");
                }
            }
        }
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            if (!axes.contains(i)) {
                out.add(in.get(i));
            }
        }
        return List.of(new TensorType(out, c.dtype(0)));
    }

    /** Unsqueeze: inserts size-1 axes at {@code axes}, which index the output (rank r + |axes|). */
    static List<TensorType> unsqueeze(OpContext c) {
        List<Long> in = c.shape(0);
        List<Long> axesAttr = c.requiredInts("axes");
        int rank = in.size() + axesAttr.size();
        TreeSet<Integer> axes = new TreeSet<>();
        for (long a : axesAttr) {
            if (!axes.add(c.axis("axes", a, rank))) {
                throw c.fail("attribute 'axes' = " + axesAttr + " names an axis twice");
            }
        }
        List<Long> out = new ArrayList<>(rank);
        int next = 0;
        for (int i = 0; i < rank; i++) {
            out.add(axes.contains(i) ? 1L : in.get(next++));
        }
        return List.of(new TensorType(out, c.dtype(0)));
    }

    /**
     * Slice with ONNX semantics: per axis, negative starts/ends count from the end, then are clamped
     * to the axis ([0, d] for positive steps, [-1, d-1] for negative ones); the size is
     * {@code max(0, ceil((end - start) / step))}, which must be positive here.
     * Example: [1, 128, 768] with starts [0], ends [1], axes [1] gives [1, 1, 768].
     */
    static List<TensorType> slice(OpContext c) {
        List<Long> in = c.shape(0);
        List<Long> starts = c.requiredInts("starts");
        List<Long> ends = c.requiredInts("ends");
        int n = starts.size();
        if (ends.size() != n) {
            throw c.fail("attributes 'starts' = " + starts + " and 'ends' = " + ends + " differ in length");
        }
        List<Long> axesAttr = c.intsOrNull("axes");
        if (axesAttr != null && axesAttr.size() != n) {
            throw c.fail("attribute 'axes' = " + axesAttr + " has " + axesAttr.size() + " values, expected " + n);
        }
        List<Long> steps = c.ints("steps", n, 1);
        List<Long> out = new ArrayList<>(in);
        TreeSet<Integer> seen = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            int axis = axesAttr == null ? c.axis("starts", i, in.size()) : c.axis("axes", axesAttr.get(i), in.size());
            if (!seen.add(axis)) {
                throw c.fail("attribute 'axes' = " + axesAttr + " names axis " + axis + " twice");
            }
            long step = steps.get(i);
            if (step == 0) {
                throw c.fail("attribute 'steps' = " + steps + " contains 0");
            }
            long d = in.get(axis);
            long start = clampIndex(starts.get(i), d, step);
            long end = clampIndex(ends.get(i), d, step);
            long size = step > 0 ? ceilDiv(end - start, step) : ceilDiv(start - end, -step);
            if (size < 1) {
                throw c.fail("slice [" + starts.get(i) + ":" + ends.get(i) + ":" + step + "] of axis " + axis
                        + " (size " + d + ") selects no elements");
            }
            out.set(axis, size);
        }
        return List.of(new TensorType(out, c.dtype(0)));
    }

    /**
     * Split along {@code axis} (default 0) into the sizes of {@code split}, or into as many equal
     * parts as there are outputs (the last one smaller when the size does not divide, as in ONNX 18).
     */
    static List<TensorType> split(OpContext c) {
        List<Long> in = c.shape(0);
        int axis = c.axis("axis", c.intAttr("axis", 0), in.size());
        int parts = c.outputCount();
        if (c.has("num_outputs")) {
            c.inRange("num_outputs", c.intAttr("num_outputs", parts), parts, parts);
        }
        long d = in.get(axis);
        List<Long> sizes = c.intsOrNull("split");
        if (sizes == null) {
            long chunk = ceilDiv(d, parts);
            long last = d - chunk * (parts - 1);
            if (last < 1) {
                throw c.fail("cannot split axis " + axis + " of size " + d + " into " + parts + " parts");
            }
            List<Long> even = new ArrayList<>();
            for (int i = 0; i < parts; i++) {
                even.add(i == parts - 1 ? last : chunk);
            }
            sizes = even;
        } else {
            long sum = 0;
            for (long s : sizes) {
                if (s < 1) {
                    throw c.fail("attribute 'split' = " + sizes + " must be positive");
                }
                sum += s;
            }
            if (sizes.size() != parts || sum != d) {
                throw c.fail("attribute 'split' = " + sizes + " must have " + parts + " values (one per output)"
                        + " adding up to " + d + ", the size of axis " + axis + " of " + in);
            }
        }
        List<TensorType> out = new ArrayList<>(parts);
        for (long s : sizes) {
            List<Long> shape = new ArrayList<>(in);
            shape.set(axis, s);
            out.add(new TensorType(shape, c.dtype(0)));
        }
        return out;
    }

    /**
     * Pad by {@code pads} = [begin_0, .., begin_(r-1), end_0, .., end_(r-1)] (negative values crop);
     * {@code mode} constant (with {@code value}), reflect, edge or wrap.
     */
    static List<TensorType> pad(OpContext c) {
        List<Long> in = c.shape(0);
        List<Long> pads = c.requiredInts("pads");
        if (pads.size() != 2 * in.size()) {
            throw c.fail("attribute 'pads' = " + pads + " has " + pads.size() + " values, expected " + 2 * in.size()
                    + " for input shape " + in);
        }
        String mode = c.choice("mode", "constant", "reflect", "edge", "wrap");
        c.floatAttr("value", 0.0);
        List<Long> out = new ArrayList<>(in.size());
        for (int i = 0; i < in.size(); i++) {
            long begin = pads.get(i);
            long end = pads.get(i + in.size());
            long size = Math.addExact(in.get(i), Math.addExact(begin, end));
            if (size < 1 || (mode.equals("reflect") && (begin >= in.get(i) || end >= in.get(i)))) {
                throw c.fail("attribute 'pads' = " + pads + " is invalid for axis " + i + " of size " + in.get(i)
                        + " in mode " + mode);
            }
            out.add(size);
        }
        return List.of(new TensorType(out, c.dtype(0)));
    }

    /**
     * Gather (embedding lookup): data [d0..dn], int32/int64 indices of shape I, {@code axis} a give
     * data[..a) + I + data(a..]. Example: table [30522, 768], ids [1, 128] give [1, 128, 768].
     */
    static List<TensorType> gather(OpContext c) {
        List<Long> data = c.shape(0);
        c.requireMinRank(0, 1);
        if (c.dtype(1) != DType.INT64 && c.dtype(1) != DType.INT32) {
            throw c.fail("indices '" + c.node().inputs().get(1) + "' are " + c.dtype(1).text()
                    + ", expected int64 or int32");
        }
        int axis = c.axis("axis", c.intAttr("axis", 0), data.size());
        List<Long> out = new ArrayList<>(data.subList(0, axis));
        out.addAll(c.shape(1));
        out.addAll(data.subList(axis + 1, data.size()));
        return List.of(new TensorType(out, c.dtype(0)));
    }

    /**
     * Resize by {@code scales} (floats; output size floor(d * scale)) or to {@code sizes} (ints),
     * exactly one of them, one value per axis.
     */
    static List<TensorType> resize(OpContext c) {
        List<Long> in = c.shape(0);
        c.choice("mode", "nearest", "linear", "cubic");
        c.choice("coordinate_transformation_mode", "half_pixel", "half_pixel_symmetric", "pytorch_half_pixel",
                "align_corners", "asymmetric");
        c.choice("nearest_mode", "round_prefer_floor", "round_prefer_ceil", "floor", "ceil");
        c.choice("keep_aspect_ratio_policy", "stretch");
        c.floatAttr("cubic_coeff_a", -0.75);
        c.floatAttr("extrapolation_value", 0.0);
        c.inRange("exclude_outside", c.intAttr("exclude_outside", 0), 0, 1);
        c.inRange("antialias", c.intAttr("antialias", 0), 0, 1);
        List<Double> scales = c.floatsOrNull("scales");
        List<Long> sizes = c.intsOrNull("sizes");
        if ((scales == null) == (sizes == null)) {
            throw c.fail("exactly one of the attributes 'scales' and 'sizes' must be given");
        }
        int given = scales != null ? scales.size() : sizes.size();
        if (given != in.size()) {
            throw c.fail("attribute '" + (scales != null ? "scales" : "sizes") + "' has " + given
                    + " values, expected " + in.size() + " for input shape " + in);
        }
        List<Long> out = new ArrayList<>(in.size());
        for (int i = 0; i < in.size(); i++) {
            long size;
            if (scales != null) {
                double scale = scales.get(i);
                if (!(scale > 0) || Double.isInfinite(scale)) {
                    throw c.fail("attribute 'scales' = " + scales + " must be positive and finite");
                }
                size = (long) Math.floor(in.get(i) * scale);
            } else {
                size = sizes.get(i);
            }
            if (size < 1) {
                throw c.fail("resized axis " + i + " of " + in + " would have size " + size);
            }
            out.add(size);
        }
        return List.of(new TensorType(out, c.dtype(0)));
    }

    static long product(List<Long> shape, int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) {
            p = Math.multiplyExact(p, shape.get(i));
        }
        return p;
    }

    private static long clampIndex(long index, long size, long step) {
        long i = index < 0 ? index + size : index;
        return step > 0 ? Math.min(Math.max(i, 0), size) : Math.min(Math.max(i, -1), size - 1);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
