package dev.tessera.operators.lowering;

import dev.tessera.operators.InternalCompilerError;
import java.util.ArrayList;
import java.util.List;

/**
 * Layout operators as explicit DRAM → DRAM copy statements (kind {@code copy} on a DMA queue; the
 * analysis counts them as off-chip copies and later passes fold them away): Reshape, Flatten,
 * Squeeze, Unsqueeze, Transpose, Slice, Concat, Split, Pad (constant, edge, reflect, wrap), Identity
 * and Cast (a copy into the output's element type: to integers toward zero, to bool non-zero; float
 * tensors all have the compile's storage type, so a cast between float types is a plain copy).
 * (Nearest Resize is a copy too, in {@link ResizeLowering}.) Each statement iterates over (a region
 * of) the output and reads the input element the operator maps there:
 *
 * <pre>
 * Transpose perm [0, 2, 1]:   Y[i0, i1, i2] ← X[i0, i2, i1]
 * Reshape [6] → [2, 3]:        Y[i0, i1] ← X[3i0 + i1]
 * Concat axis 1 of [2,3],[2,4]: Y[i0, i1] ← A[i0, i1];  Y[i0, 3 + i1] ← B[i0, i1]
 * Pad constant [1, 1]:         Y[i0] ← value;  Y[1 + i0] ← X[i0]      (the copy overwrites the fill)
 * </pre>
 */
final class LayoutLowering {
    private LayoutLowering() {}

    static void lower(NodeLowering n) {
        switch (n.node().opType()) {
            case "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity", "Cast" -> reshape(n);
            case "Transpose" -> transpose(n);
            case "Slice" -> slice(n);
            case "Concat" -> concat(n);
            case "Split" -> split(n);
            case "Pad" -> pad(n);
            default -> throw new InternalCompilerError("not a layout op: " + n.node().opType());
        }
    }

    private static List<Iterator> iterators(List<Long> shape) {
        List<Iterator> its = new ArrayList<>();
        for (int k = 0; k < shape.size(); k++) {
            its.add(Iterator.range("i" + k, shape.get(k)));
        }
        return its;
    }

    private static Expr i(int k) {
        return Expr.var("i" + k);
    }

    private static void copy(NodeLowering n, String suffix, Domain d, String dst, List<Expr> dstIdx, String src,
            List<Expr> srcIdx, int phase) {
        n.stmt(suffix, StatementKind.COPY, Engine.DMA, Operation.of(OpCode.COPY)).domain(d, 0)
                .schedule(n.time(phase, d.iterators())).write(dst, dstIdx).read(src, srcIdx).add();
    }

    private static List<Expr> vars(int rank) {
        List<Expr> out = new ArrayList<>();
        for (int k = 0; k < rank; k++) {
            out.add(i(k));
        }
        return out;
    }

    /**
     * Row-major reshape: the flat index {@code Σ i_k · strideY_k} read back in the input's shape. When
     * both shapes agree after dropping size-1 axes (Squeeze, Unsqueeze), indices map directly.
     */
    private static void reshape(NodeLowering n) {
        List<Long> x = n.inShape(0);
        List<Long> y = n.outShape(0);
        List<Expr> src = new ArrayList<>();
        List<Integer> yReal = nonUnit(y);
        List<Integer> xReal = nonUnit(x);
        boolean direct = yReal.size() == xReal.size();
        for (int j = 0; direct && j < yReal.size(); j++) {
            direct = x.get(xReal.get(j)).equals(y.get(yReal.get(j)));
        }
        if (direct) {
            int j = 0;
            for (int q = 0; q < x.size(); q++) {
                src.add(x.get(q) == 1 ? Expr.constant(0) : i(yReal.get(j++)));
            }
        } else {
            Expr flat = Expr.constant(0);
            long stride = 1;
            for (int k = y.size() - 1; k >= 0; k--) {
                flat = i(k).times(stride).plus(flat);
                stride *= y.get(k);
            }
            long inner = 1;
            List<Expr> rev = new ArrayList<>();
            for (int q = x.size() - 1; q >= 0; q--) {
                Expr e = Expr.floorDiv(flat, inner);
                rev.add(0, q == 0 ? e : Expr.mod(e, x.get(q)));
                inner *= x.get(q);
            }
            src.addAll(rev);
        }
        copy(n, "copy", new Domain(iterators(y), List.of()), n.outDram(0), vars(y.size()), n.inDram(0), src, 0);
    }

    private static List<Integer> nonUnit(List<Long> shape) {
        List<Integer> out = new ArrayList<>();
        for (int k = 0; k < shape.size(); k++) {
            if (shape.get(k) != 1) {
                out.add(k);
            }
        }
        return out;
    }

    private static void transpose(NodeLowering n) {
        List<Long> y = n.outShape(0);
        int r = y.size();
        List<Long> perm = n.intsAttr("perm", null);
        Expr[] src = new Expr[r];
        for (int k = 0; k < r; k++) {
            int from = perm == null ? r - 1 - k : perm.get(k).intValue();
            src[from] = i(k);
        }
        copy(n, "copy", new Domain(iterators(y), List.of()), n.outDram(0), vars(r), n.inDram(0), List.of(src), 0);
    }

    /** Slice: output index i on axis k reads {@code start_k + step_k · i} (start clamped as ONNX does). */
    private static void slice(NodeLowering n) {
        List<Long> x = n.inShape(0);
        List<Long> y = n.outShape(0);
        List<Long> starts = n.intsAttr("starts", List.of());
        List<Long> axes = n.intsAttr("axes", null);
        List<Long> steps = n.intsAttr("steps", NodeLowering.repeat(1, starts.size()));
        List<Expr> src = vars(y.size());
        for (int j = 0; j < starts.size(); j++) {
            int axis = (int) (axes == null ? j : axes.get(j) < 0 ? axes.get(j) + x.size() : axes.get(j));
            long d = x.get(axis);
            long step = steps.get(j);
            long s = starts.get(j) < 0 ? starts.get(j) + d : starts.get(j);
            s = step > 0 ? Math.min(Math.max(s, 0), d) : Math.min(Math.max(s, -1), d - 1);
            src.set(axis, i(axis).times(step).plus(s));
        }
        copy(n, "copy", new Domain(iterators(y), List.of()), n.outDram(0), vars(y.size()), n.inDram(0), src, 0);
    }

    private static void concat(NodeLowering n) {
        List<Long> y = n.outShape(0);
        long axisAttr = n.intAttr("axis", 0);
        int axis = (int) (axisAttr < 0 ? axisAttr + y.size() : axisAttr);
        long offset = 0;
        for (int j = 0; j < n.node().inputs().size(); j++) {
            List<Long> x = n.inShape(j);
            List<Expr> dst = vars(y.size());
            dst.set(axis, i(axis).plus(offset));
            copy(n, "copy" + j, new Domain(iterators(x), List.of()), n.outDram(0), dst, n.inDram(j), vars(x.size()), j);
            offset += x.get(axis);
        }
    }

    private static void split(NodeLowering n) {
        List<Long> x = n.inShape(0);
        long axisAttr = n.intAttr("axis", 0);
        int axis = (int) (axisAttr < 0 ? axisAttr + x.size() : axisAttr);
        long offset = 0;
        for (int j = 0; j < n.node().outputs().size(); j++) {
            List<Long> y = n.outShape(j);
            List<Expr> src = vars(y.size());
            src.set(axis, i(axis).plus(offset));
            copy(n, "copy" + j, new Domain(iterators(y), List.of()), n.outDram(j), vars(y.size()), n.inDram(0), src, j);
            offset += y.get(axis);
        }
    }

    /**
     * Pad: per axis the output splits into the begin region, the interior and the end region; each
     * combination of regions is one copy statement whose source index follows the mode (constant
     * fills the whole output first and copies only the interior). Wrap is one statement reading
     * {@code (i - pad_begin) mod size} on every axis, which holds for pads of any size.
     */
    private static void pad(NodeLowering n) {
        List<Long> x = n.inShape(0);
        List<Long> y = n.outShape(0);
        int r = x.size();
        List<Long> pads = n.intsAttr("pads", NodeLowering.repeat(0, 2 * r));
        String mode = n.strAttr("mode", "constant");
        if (mode.equals("constant")) {
            Domain all = new Domain(iterators(y), List.of());
            n.stmt("fill", StatementKind.COPY, Engine.DMA, Operation.of(OpCode.FILL, n.floatAttr("value", 0.0)))
                    .domain(all, 0).schedule(n.time(0, all.iterators())).write(n.outDram(0), vars(r)).add();
        }
        if (mode.equals("wrap")) {
            List<Expr> src = new ArrayList<>();
            for (int k = 0; k < r; k++) {
                src.add(Expr.mod(i(k).plus(-pads.get(k)), x.get(k)));
            }
            copy(n, "copy", new Domain(iterators(y), List.of()), n.outDram(0), vars(r), n.inDram(0), src, 0);
            return;
        }
        int regions = mode.equals("constant") ? 1 : (int) Math.pow(3, r);
        int phase = 1;
        for (int code = 0; code < regions; code++) {
            List<Constraint> cs = new ArrayList<>();
            List<Expr> src = new ArrayList<>();
            boolean empty = false;
            int c = code;
            for (int k = 0; k < r; k++) {
                int region = mode.equals("constant") ? 1 : c % 3;
                c /= 3;
                long b = pads.get(k);
                long size = x.get(k);
                long lo;
                long hi;
                Expr s;
                if (region == 0) {
                    lo = 0;
                    hi = b;
                    s = mode.equals("reflect") ? i(k).times(-1).plus(b) : Expr.constant(0);
                } else if (region == 1) {
                    lo = Math.max(0, b);
                    hi = Math.min(y.get(k), b + size);
                    s = i(k).plus(-b);
                } else {
                    lo = b + size;
                    hi = y.get(k);
                    s = mode.equals("reflect") ? i(k).times(-1).plus(2 * (size - 1) + b) : Expr.constant(size - 1);
                }
                if (lo >= hi) {
                    empty = true;
                }
                cs.add(Constraint.le(Expr.constant(lo), i(k)));
                cs.add(Constraint.lt(i(k), Expr.constant(hi)));
                src.add(s);
            }
            if (!empty) {
                copy(n, "copy", new Domain(iterators(y), cs), n.outDram(0), vars(r), n.inDram(0), src, phase++);
            }
        }
    }
}
