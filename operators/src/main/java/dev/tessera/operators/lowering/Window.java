package dev.tessera.operators.lowering;

import java.util.ArrayList;
import java.util.List;

/**
 * The sliding-window geometry of Conv, ConvTranspose and pooling on the spatial axes: kernel,
 * strides, dilations and the begin/end pads (explicit, or derived from {@code auto_pad} as ONNX
 * does: total pad {@code max(0, (out-1)·s + d·(k-1) + 1 - in)}, the odd one at the end for
 * SAME_UPPER and at the begin for SAME_LOWER).
 */
record Window(List<Long> kernel, List<Long> strides, List<Long> dilations, List<Long> padBegin, List<Long> padEnd) {
    static Window of(NodeLowering n, List<Long> kernel, List<Long> in, List<Long> out) {
        int s = kernel.size();
        List<Long> strides = n.intsAttr("strides", NodeLowering.repeat(1, s));
        List<Long> dilations = n.intsAttr("dilations", NodeLowering.repeat(1, s));
        String autoPad = n.strAttr("auto_pad", "NOTSET");
        List<Long> begin = new ArrayList<>();
        List<Long> end = new ArrayList<>();
        List<Long> pads = n.intsAttr("pads", NodeLowering.repeat(0, 2 * s));
        for (int a = 0; a < s; a++) {
            if (autoPad.startsWith("SAME")) {
                long total = Math.max(0, (out.get(a) - 1) * strides.get(a) + dilations.get(a) * (kernel.get(a) - 1) + 1
                        - in.get(a));
                long small = total / 2;
                begin.add(autoPad.equals("SAME_UPPER") ? small : total - small);
                end.add(autoPad.equals("SAME_UPPER") ? total - small : small);
            } else if (autoPad.equals("VALID")) {
                begin.add(0L);
                end.add(0L);
            } else {
                begin.add(pads.get(a));
                end.add(pads.get(a + s));
            }
        }
        return new Window(kernel, strides, dilations, begin, end);
    }

    int rank() {
        return kernel.size();
    }

    long stride(int a) {
        return strides.get(a);
    }

    long dilation(int a) {
        return dilations.get(a);
    }

    long k(int a) {
        return kernel.get(a);
    }

    long pad(int a) {
        return padBegin.get(a);
    }

    /** Input positions (padded coordinates) a tile of {@code chunk} outputs reads: {@code (chunk-1)·s + d·(k-1) + 1}. */
    long extent(int a, long chunk) {
        return (chunk - 1) * stride(a) + dilation(a) * (k(a) - 1) + 1;
    }

    boolean padded() {
        for (int a = 0; a < rank(); a++) {
            if (padBegin.get(a) != 0 || padEnd.get(a) != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Output chunks per spatial axis: at most {@code maxPixels} outputs per tile, innermost axis
     * first, then halved (outermost first) until the input window of a tile takes at most
     * {@code maxWindowElements} per partition.
     */
    long[] chunks(List<Long> out, long maxPixels, long maxWindowElements) {
        long[] c = new long[rank()];
        long used = 1;
        for (int a = rank() - 1; a >= 0; a--) {
            c[a] = Math.max(1, Math.min(out.get(a), maxPixels / used));
            used *= c[a];
        }
        while (windowElements(c) > maxWindowElements) {
            int a = 0;
            while (a < rank() && c[a] == 1) {
                a++;
            }
            if (a == rank()) {
                return null;
            }
            c[a] = (c[a] + 1) / 2;
        }
        return c;
    }

    long windowElements(long[] chunks) {
        long e = 1;
        for (int a = 0; a < rank(); a++) {
            e *= extent(a, chunks[a]);
        }
        return e;
    }

    /**
     * The input window a tile of outputs reads, per spatial axis {@code a}: an iterator
     * {@code l_a} over the window's extent, its position {@code pos_a = tile_a·chunk_a·s_a + l_a − pad_a}
     * in the unpadded input, the bound that trims a partial last tile
     * ({@code l_a ≤ (size_a − 1 − tile_a·chunk_a)·s_a + d_a·(k_a − 1)}), and the constraints
     * {@code 0 ≤ pos_a < in_a} that keep padding out of the DMA.
     *
     * @param axes    the tiled output axes, one per spatial axis
     * @param inShape the spatial input sizes
     */
    Halo halo(List<TiledAxis> axes, List<Long> inShape) {
        List<Long> shape = new ArrayList<>();
        List<Iterator> iterators = new ArrayList<>();
        List<Constraint> bounds = new ArrayList<>();
        List<Constraint> inside = new ArrayList<>();
        List<Expr> local = new ArrayList<>();
        List<Expr> global = new ArrayList<>();
        for (int a = 0; a < rank(); a++) {
            TiledAxis t = axes.get(a);
            long ext = extent(a, t.chunk());
            shape.add(ext);
            Iterator l = Iterator.range("l" + a, ext);
            iterators.add(l);
            Expr lv = Expr.var(l.name());
            local.add(lv);
            if (t.hasTile() && t.size() % t.chunk() != 0) {
                bounds.add(Constraint.le(lv, Expr.constant(t.size() - 1).minus(t.tile().times(t.chunk()))
                        .times(stride(a)).plus(dilation(a) * (k(a) - 1))));
            }
            Expr pos = t.tile().times(t.chunk() * stride(a)).plus(lv).plus(-pad(a));
            inside.add(Constraint.le(Expr.constant(0), pos));
            inside.add(Constraint.lt(pos, Expr.constant(inShape.get(a))));
            global.add(pos);
        }
        return new Halo(shape, iterators, bounds, inside, local, global);
    }

    /** The pieces of {@link #halo}, each in spatial-axis order. */
    record Halo(List<Long> shape, List<Iterator> iterators, List<Constraint> bounds, List<Constraint> inside,
            List<Expr> local, List<Expr> global) {}
}
