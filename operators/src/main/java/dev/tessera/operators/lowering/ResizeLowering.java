package dev.tessera.operators.lowering;

import dev.tessera.operators.graph.Attribute;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Resize in every mode the graph IR accepts. Resize is separable: output coordinate {@code o} of
 * axis {@code k} reads taps {@code idx_j(o)} of the input with weights {@code w_j(o)} (nearest one
 * tap, linear two, cubic four), both computed at compile time exactly as the reference interpreter
 * computes them (float coordinates, clamping, Keys' kernel, {@code exclude_outside}).
 *
 * <p>Neither table is affine in {@code o}, but both are periodic: with {@code P} the period of the
 * coordinate map (P = out/gcd(in, out) when the scale is out/in), {@code idx_j(o + P) = idx_j(o) + A_j}
 * and {@code w_j(o + P) = w_j(o)} away from the clamped borders. Each axis therefore splits into
 * <em>pieces</em> {@code o = o₀ + P·q, 0 ≤ q < count} on which every tap index is affine
 * ({@code b_j + A_j·q}) and every weight constant. Example: linear, half_pixel, 4 → 8 gives
 * P = 2 and the pieces {0} (clamped), {1, 3, 5}, {2, 4, 6} and {7} (clamped).
 *
 * <p>Nearest: when the map of an axis is {@code floor((a·o + b)/c)}, a DRAM → DRAM copy reads
 * through it; the other axes take one copy per combination of their pieces. Linear and cubic run
 * separably on chip, per tile of the other (kept) axes — a kept axis, such as the channels, on the
 * partitions — with the resized extents whole in the free dimensions:
 * <pre>
 * s₀[kept, x…] ← DMA X[…]                               (the input's footprint, once)
 * for each resized axis k, in order:
 *   s_k ← 0;  s_k[…, o_k, …] += w · s_(k-1)[…, b + A·q, …]   for each tap and piece, o_k = o₀ + P·q
 *                                                              (scale_acc(w): the weight is a constant)
 * y ← s_r;  Y ← DMA y                                    (the output, once)
 * </pre>
 * When the input, stages and output along the resized axes do not fit one partition's SBUF (192 KiB
 * on inferentia2: 64 x 64 → 128 x 128 in fp32 fits, 128 x 128 → 256 x 256 does not), the output is
 * cut into blocks along the resized axes, each loading only its input halo (see {@link #blocks}).
 *
 * <p>Not lowered (an {@code InvalidModelException}): {@code antialias} = 1 on a downscaled axis in
 * linear or cubic mode; linear or cubic resizes that do not fit in {@value #MAX_OUTPUT_BLOCKS} output
 * blocks (1024 x 1024 → 2048 x 2048 in fp32 would need 256).
 */
final class ResizeLowering {
    private static final double WEIGHT_TOLERANCE = 1e-6;
    /** The most output blocks a resize is unrolled into (each block is a handful of statements). */
    private static final int MAX_OUTPUT_BLOCKS = 64;

    private ResizeLowering() {}

    /** The taps of one output coordinate. */
    private record Taps(long[] index, double[] weight) {}

    /**
     * Output coordinates {@code o = start + step·q} for {@code 0 ≤ q < count}, where tap {@code j}
     * reads input index {@code base[j] + shift[j]·q} with weight {@code weight[j]}.
     */
    private record Piece(long start, long step, long count, long[] base, long[] shift, double[] weight) {
        Constraint on(Expr global, String q) {
            return Constraint.eq(global, Expr.var(q).times(step).plus(start));
        }

        Expr index(int tap, String q) {
            return Expr.var(q).times(shift[tap]).plus(base[tap]);
        }
    }

    /** A resized axis: its tap table, the table's pieces and the taps per output coordinate. */
    private record Axis(int k, Taps[] table, List<Piece> pieces, int taps) {}

    static void lower(NodeLowering n) {
        List<Long> x = n.inShape(0);
        List<Long> y = n.outShape(0);
        String mode = n.strAttr("mode", "nearest");
        List<Axis> resized = new ArrayList<>();
        for (int k = 0; k < x.size(); k++) {
            Taps[] table = table(n, mode, k, x.get(k), y.get(k));
            if (!isIdentity(table)) {
                resized.add(new Axis(k, table, pieces(table, period(n, k, x.get(k), y.get(k))),
                        table[0].index().length));
            }
            if (n.intAttr("antialias", 0) == 1 && !mode.equals("nearest") && y.get(k) < x.get(k)) {
                throw n.unsupported("antialias on the downscaled axis " + k + " (" + x.get(k) + " -> " + y.get(k)
                        + ") is not supported by lowering");
            }
        }
        if (mode.equals("nearest")) {
            nearest(n, resized);
        } else {
            interpolate(n, resized);
        }
    }

    /**
     * Nearest: DRAM → DRAM copies. An axis whose map is {@code floor((a·o + b)/c)} reads through
     * that quasi-affine index; the others take one copy per combination of their pieces.
     */
    private static void nearest(NodeLowering n, List<Axis> resized) {
        List<Long> y = n.outShape(0);
        List<Expr> src = new ArrayList<>();
        List<Expr> dst = new ArrayList<>();
        List<Iterator> its = new ArrayList<>();
        for (int k = 0; k < y.size(); k++) {
            its.add(Iterator.range("i" + k, y.get(k)));
            dst.add(Expr.var("i" + k));
            src.add(Expr.var("i" + k));
        }
        List<Axis> pieced = new ArrayList<>();
        for (Axis a : resized) {
            Expr e = fit(a.table(), n.inShape(0).get(a.k()), y.get(a.k()), Expr.var("i" + a.k()));
            if (e != null) {
                src.set(a.k(), e);
            } else {
                pieced.add(a);
            }
        }
        int phase = 0;
        for (List<Piece> combo : combinations(pieced)) {
            List<Iterator> all = new ArrayList<>(its);
            List<Constraint> cs = new ArrayList<>();
            List<Expr> from = new ArrayList<>(src);
            for (int a = 0; a < pieced.size(); a++) {
                int k = pieced.get(a).k();
                String q = "q" + k;
                all.add(Iterator.range(q, combo.get(a).count()));
                cs.add(combo.get(a).on(Expr.var("i" + k), q));
                from.set(k, combo.get(a).index(0, q));
            }
            n.stmt("copy", StatementKind.COPY, Engine.DMA, Operation.of(OpCode.COPY)).domain(new Domain(all, cs), 0)
                    .schedule(n.time(phase++, its)).write(n.outDram(0), dst).read(n.inDram(0), from).add();
        }
    }

    /** The single-tap {@code table} as {@code floor((a·o + b)/c)} with {@code a/c = in/out} in lowest terms, or null. */
    private static Expr fit(Taps[] table, long in, long out, Expr o) {
        long g = gcd(in, out);
        long a = in / g;
        long c = out / g;
        for (long b = -2 * c; b <= 2 * c; b++) {
            boolean ok = true;
            for (int k = 0; ok && k < table.length; k++) {
                ok = Math.floorDiv(a * k + b, c) == table[k].index()[0];
            }
            if (ok) {
                return Expr.floorDiv(o.times(a).plus(b), c);
            }
        }
        return null;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /**
     * Linear and cubic, separably on chip: per tile of the other axes, the input's resized extents
     * are loaded, then each resized axis in turn is interpolated SBUF → SBUF into a stage buffer
     * whose extent on that axis becomes the output's, one {@code scale_acc} statement per tap and
     * piece (the piece's weight is its parameter).
     *
     * <p>When the whole resized extents do not fit a partition's SBUF share, the output is cut into
     * blocks along the resized axes ({@link #blocks}); each block loads only its input window, the
     * input positions its taps read (its halo), and runs the same stages on local coordinates. The
     * blocks are unrolled at compile time, so every statement keeps constant offsets and the simple
     * per-piece constraints of the untiled form.
     */
    private static void interpolate(NodeLowering n, List<Axis> resized) {
        List<Long> x = n.inShape(0);
        List<Long> y = n.outShape(0);
        Set<Integer> r = new TreeSet<>();
        for (Axis a : resized) {
            r.add(a.k());
        }
        long sbuf = n.program().spec().sbufBytesPerPartition();
        Window whole = Window.whole(x, y);
        List<Window> tiles = List.of(whole);
        Window buffer = whole;
        long perKeptElement = perKeptElement(n, resized, whole);
        if (perKeptElement > sbuf) {
            tiles = blocks(n, resized, x, y, sbuf);
            buffer = Window.bound(tiles);
            perKeptElement = perKeptElement(n, resized, buffer);
        }
        long keptElements = sbuf / perKeptElement;
        long resizedOut = 1;
        for (int k : r) {
            resizedOut *= buffer.outExt()[k];
        }
        int pa = TileSpace.choosePartitionAxis(y, n.partitions(), r);
        TileSpace ts = TileSpace.plan("", y, pa, n.partitions(), keptElements * resizedOut, r);
        Set<Integer> kept = new TreeSet<>(ts.all());
        kept.removeAll(r);
        String[] buffers = new String[resized.size() + 2];
        buffers[0] = n.sbuf("x", n.inType(0), new Stage(n, ts, kept, resized, buffer, buffer, 0).shape());
        for (int s = 1; s <= resized.size(); s++) {
            buffers[s] = n.sbuf("stage" + s, ElementType.FP32,
                    new Stage(n, ts, kept, resized, buffer, buffer, s).shape());
        }
        buffers[resized.size() + 1] = n.sbuf("y", n.outType(0),
                new Stage(n, ts, kept, resized, buffer, buffer, resized.size()).shape());
        int phase = 0;
        for (Window tile : tiles) {
            interpolateTile(n, resized, ts, kept, tile, buffer, buffers, phase);
            phase += resized.size() + 2;
        }
    }

    /** The load, stages, eviction and store of one output block, in phases {@code phase…phase + r + 1}. */
    private static void interpolateTile(NodeLowering n, List<Axis> resized, TileSpace ts, Set<Integer> kept,
            Window tile, Window buffer, String[] buffers, int phase) {
        Stage stage = new Stage(n, ts, kept, resized, tile, buffer, 0);
        String previous = buffers[0];
        n.stmt("load_x", StatementKind.DMA, Engine.DMA, Operation.of(OpCode.COPY))
                .domain(stage.domain(List.of(), List.of()), ts.tileDims())
                .schedule(stage.time(phase, 0)).write(previous, stage.local()).read(n.inDram(0), stage.global()).add();
        for (int s = 1; s <= resized.size(); s++) {
            Axis axis = resized.get(s - 1);
            Stage in = stage;
            stage = new Stage(n, ts, kept, resized, tile, buffer, s);
            String buf = buffers[s];
            n.stmt("zero", StatementKind.VECTOR, Engine.VECTOR, Operation.of(OpCode.FILL, 0))
                    .domain(stage.domain(List.of(), List.of()), ts.tileDims()).schedule(stage.time(phase + s, 0))
                    .write(buf, stage.local()).add();
            int step = 1;
            String q = "q" + axis.k();
            List<Piece> pieces = tile.pieces(axis);
            for (int j = 0; j < axis.taps(); j++) {
                for (Piece p : pieces) {
                    if (p.weight()[j] == 0) {
                        continue;
                    }
                    List<Expr> from = in.local();
                    from.set(in.position(axis.k()), p.index(j, q));
                    List<Expr> to = stage.local();
                    n.stmt("tap", StatementKind.VECTOR, Engine.VECTOR, Operation.of(OpCode.SCALE_ACC, p.weight()[j]))
                            .domain(stage.domain(List.of(Iterator.range(q, p.count())),
                                    List.of(p.on(Expr.var(stage.name(axis.k())), q))), ts.tileDims())
                            .schedule(stage.time(phase + s, step++)).write(buf, to).read(previous, from).read(buf, to)
                            .add();
                }
            }
            previous = buf;
        }
        String out = buffers[resized.size() + 1];
        int last = phase + resized.size() + 1;
        n.stmt("evict", StatementKind.VECTOR, Engine.VECTOR, Operation.of(OpCode.COPY))
                .domain(stage.domain(List.of(), List.of()), ts.tileDims()).schedule(stage.time(last, 0))
                .write(out, stage.local()).read(previous, stage.local()).add();
        n.stmt("store", StatementKind.DMA, Engine.DMA, Operation.of(OpCode.COPY))
                .domain(stage.domain(List.of(), List.of()), ts.tileDims()).schedule(stage.time(last, 1))
                .write(n.outDram(0), stage.global()).read(out, stage.local()).add();
    }

    /**
     * Bytes per kept element for the input window, the stages and the output of {@code w}: stage
     * {@code s} holds the output extents of the first {@code s} resized axes and the input window's
     * of the rest (fp32), the input and output their own types.
     */
    private static long perKeptElement(NodeLowering n, List<Axis> resized, Window w) {
        long total = 0;
        for (int s = 0; s <= resized.size() + 1; s++) {
            long plane = 1;
            for (int q = 0; q < resized.size(); q++) {
                int k = resized.get(q).k();
                plane *= q < s ? w.outExt()[k] : w.inExt()[k];
            }
            int bytes = s == 0 ? n.inType(0).bytes() : s == resized.size() + 1 ? n.outType(0).bytes()
                    : ElementType.FP32.bytes();
            total += plane * bytes;
        }
        return total;
    }

    /**
     * Output blocks that fit {@code sbuf} bytes per kept element: starting from the whole extents,
     * the block of the outermost resized axis still longer than one is halved (rounded up) until
     * the largest input window, stages and output of a block fit. Example: linear 128² → 256² in
     * fp32 (192 KiB) gives blocks of 64 output rows by the whole 256 columns, each loading 34 input
     * rows (its halo), four blocks in all.
     */
    private static List<Window> blocks(NodeLowering n, List<Axis> resized, List<Long> x, List<Long> y, long sbuf) {
        long[] block = new long[y.size()];
        for (Axis a : resized) {
            block[a.k()] = y.get(a.k());
        }
        while (true) {
            long count = 1;
            for (Axis a : resized) {
                count *= (y.get(a.k()) + block[a.k()] - 1) / block[a.k()];
            }
            if (count > MAX_OUTPUT_BLOCKS) {
                throw n.unsupported("the resized extents do not fit a partition's " + sbuf + " bytes in "
                        + MAX_OUTPUT_BLOCKS + " output blocks or fewer, the most lowering unrolls");
            }
            List<Window> tiles = tiles(resized, x, y, block);
            long need = perKeptElement(n, resized, Window.bound(tiles));
            if (need <= sbuf) {
                return tiles;
            }
            Axis outer = null;
            for (Axis a : resized) {
                if (block[a.k()] > 1) {
                    outer = a;
                    break;
                }
            }
            if (outer == null) {
                throw n.unsupported("a single output element of the resized axes needs " + need + " bytes per"
                        + " partition for its input window, the stages and the output, more than the " + sbuf
                        + " of a partition");
            }
            block[outer.k()] = (block[outer.k()] + 1) / 2;
        }
    }

    /** Every block of sizes {@code block} along the resized axes, the first axis outermost, with its input window. */
    private static List<Window> tiles(List<Axis> resized, List<Long> x, List<Long> y, long[] block) {
        List<Window> out = new ArrayList<>(List.of(Window.whole(x, y)));
        for (Axis a : resized) {
            int k = a.k();
            List<Window> next = new ArrayList<>();
            for (Window w : out) {
                for (long lo = 0; lo < y.get(k); lo += block[k]) {
                    next.add(w.cut(a, lo, Math.min(y.get(k), lo + block[k])));
                }
            }
            out = next;
        }
        return out;
    }

    /**
     * A block of the output along the resized axes and the input window it reads, per axis
     * {@code k} (entries of unresized axes unused): output {@code [outLo, outLo + outExt)}, input
     * {@code [inLo, inLo + inExt)}.
     */
    private record Window(long[] inLo, long[] inExt, long[] outLo, long[] outExt) {
        static Window whole(List<Long> x, List<Long> y) {
            long[] inExt = new long[x.size()];
            long[] outExt = new long[y.size()];
            for (int k = 0; k < x.size(); k++) {
                inExt[k] = x.get(k);
                outExt[k] = y.get(k);
            }
            return new Window(new long[x.size()], inExt, new long[y.size()], outExt);
        }

        /** This window with axis {@code a} cut to the outputs {@code [lo, hi)} and the input positions their taps read. */
        Window cut(Axis a, long lo, long hi) {
            int k = a.k();
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (Piece p : restrict(a.pieces(), lo, hi, 0)) {
                for (int j = 0; j < a.taps(); j++) {
                    if (p.weight()[j] != 0) {
                        long last = p.base()[j] + p.shift()[j] * (p.count() - 1);
                        min = Math.min(min, Math.min(p.base()[j], last));
                        max = Math.max(max, Math.max(p.base()[j], last));
                    }
                }
            }
            if (min > max) {
                min = 0;
                max = 0;
            }
            long[] il = inLo.clone();
            long[] ie = inExt.clone();
            long[] ol = outLo.clone();
            long[] oe = outExt.clone();
            il[k] = min;
            ie[k] = max - min + 1;
            ol[k] = lo;
            oe[k] = hi - lo;
            return new Window(il, ie, ol, oe);
        }

        /** The axis' pieces within this window, in its local coordinates (output and input offsets subtracted). */
        List<Piece> pieces(Axis a) {
            int k = a.k();
            return restrict(a.pieces(), outLo[k], outLo[k] + outExt[k], inLo[k]);
        }

        /** The largest extents of any of {@code tiles}, at offset 0: the shape of the buffers they share. */
        static Window bound(List<Window> tiles) {
            int rank = tiles.get(0).inExt().length;
            long[] ie = new long[rank];
            long[] oe = new long[rank];
            for (Window w : tiles) {
                for (int k = 0; k < rank; k++) {
                    ie[k] = Math.max(ie[k], w.inExt()[k]);
                    oe[k] = Math.max(oe[k], w.outExt()[k]);
                }
            }
            return new Window(new long[rank], ie, new long[rank], oe);
        }
    }

    /**
     * The parts of {@code pieces} with outputs in {@code [lo, hi)}, shifted to output {@code o − lo}
     * and input {@code i − inLo}: piece {@code o = start + step·q} keeps {@code q} in
     * {@code [⌈(lo − start)/step⌉, ⌈(hi − start)/step⌉)}.
     */
    private static List<Piece> restrict(List<Piece> pieces, long lo, long hi, long inLo) {
        List<Piece> out = new ArrayList<>();
        for (Piece p : pieces) {
            long first = Math.max(0, -Math.floorDiv(-(lo - p.start()), p.step()));
            long end = Math.min(p.count(), -Math.floorDiv(-(hi - p.start()), p.step()));
            if (first >= end) {
                continue;
            }
            long[] base = new long[p.base().length];
            for (int j = 0; j < base.length; j++) {
                base[j] = p.base()[j] + p.shift()[j] * first - inLo;
            }
            out.add(new Piece(p.start() + p.step() * first - lo, p.step(), end - first, base, p.shift(), p.weight()));
        }
        return out;
    }

    /**
     * The on-chip layout after {@code done} resized axes are interpolated: the tile's kept axes as
     * {@link TileSpace} lays them out, and on every resized axis an iterator over the block's extent
     * in local coordinates — the output's ({@code o<k>}) once the axis is done, the input window's
     * ({@code x<k>}) before; buffers take the largest block's extents ({@code buffer}).
     */
    private record Stage(NodeLowering n, TileSpace ts, Set<Integer> kept, List<Axis> resized, Window tile,
            Window buffer, int done) {
        private int order(int k) {
            for (int q = 0; q < resized.size(); q++) {
                if (resized.get(q).k() == k) {
                    return q;
                }
            }
            return -1;
        }

        String name(int k) {
            return (order(k) < done ? "o" : "x") + k;
        }

        private long extent(Window w, int k) {
            return order(k) < done ? w.outExt()[k] : w.inExt()[k];
        }

        private long offset(int k) {
            return order(k) < done ? tile.outLo()[k] : tile.inLo()[k];
        }

        /** The resized axes' iterators, in axis order. */
        private List<Iterator> resizedIterators() {
            List<Iterator> its = new ArrayList<>();
            for (int k = 0; k < tile.inExt().length; k++) {
                if (order(k) >= 0) {
                    its.add(Iterator.range(name(k), extent(tile, k)));
                }
            }
            return its;
        }

        private Set<Integer> keptIntra() {
            Set<Integer> s = new TreeSet<>(kept);
            if (ts.partitionAxis() >= 0) {
                s.add(ts.partitionAxis());
            }
            return s;
        }

        Domain domain(List<Iterator> extra, List<Constraint> constraints) {
            List<Iterator> its = new ArrayList<>(resizedIterators());
            its.addAll(extra);
            return ts.domain(keptIntra(), its, constraints);
        }

        List<Expr> time(int phase, int step) {
            return n.time(ts.tileIterators(), phase, step, ts.intraIterators(keptIntra()), resizedIterators());
        }

        /** Where axis {@code k} sits in {@link #local()}: after the partition dimension, free axes in order. */
        int position(int k) {
            int pos = 1;
            for (int a = 0; a < k; a++) {
                if (a != ts.partitionAxis() && (order(a) >= 0 || ts.axis(a).hasIntra())) {
                    pos++;
                }
            }
            return pos;
        }

        List<Long> shape() {
            List<Long> s = new ArrayList<>();
            s.add(ts.partitionAxis() >= 0 ? ts.axis(ts.partitionAxis()).chunk() : 1L);
            for (int k = 0; k < tile.inExt().length; k++) {
                if (order(k) >= 0) {
                    s.add(extent(buffer, k));
                } else if (k != ts.partitionAxis() && ts.axis(k).hasIntra()) {
                    s.add(ts.axis(k).chunk());
                }
            }
            return s;
        }

        List<Expr> local() {
            List<Expr> e = new ArrayList<>();
            e.add(ts.partitionAxis() >= 0 ? ts.axis(ts.partitionAxis()).local() : Expr.constant(0));
            for (int k = 0; k < tile.inExt().length; k++) {
                if (order(k) >= 0) {
                    e.add(Expr.var(name(k)));
                } else if (k != ts.partitionAxis() && ts.axis(k).hasIntra()) {
                    e.add(ts.axis(k).local());
                }
            }
            return e;
        }

        /** DRAM indices: the block's offset added to the local index on resized axes (none when it is 0). */
        List<Expr> global() {
            List<Expr> e = new ArrayList<>();
            for (int k = 0; k < tile.inExt().length; k++) {
                if (order(k) < 0) {
                    e.add(ts.axis(k).global());
                } else {
                    e.add(offset(k) == 0 ? Expr.var(name(k)) : Expr.var(name(k)).plus(offset(k)));
                }
            }
            return e;
        }
    }

    /** Every choice of one piece per resized axis, the first axis outermost. */
    private static List<List<Piece>> combinations(List<Axis> axes) {
        List<List<Piece>> out = new ArrayList<>(List.of(List.of()));
        for (Axis a : axes) {
            List<List<Piece>> next = new ArrayList<>();
            for (List<Piece> prefix : out) {
                for (Piece p : a.pieces()) {
                    List<Piece> c = new ArrayList<>(prefix);
                    c.add(p);
                    next.add(c);
                }
            }
            out = next;
        }
        return out;
    }

    /** Whether every output coordinate reads its own index with total weight 1 and nothing else. */
    private static boolean isIdentity(Taps[] table) {
        for (int o = 0; o < table.length; o++) {
            double self = 0;
            for (int j = 0; j < table[o].index().length; j++) {
                if (table[o].index()[j] == o) {
                    self += table[o].weight()[j];
                } else if (table[o].weight()[j] != 0) {
                    return false;
                }
            }
            if (self != 1) {
                return false;
            }
        }
        return true;
    }

    /**
     * Splits an axis into pieces, greedily from the first uncovered coordinate with step
     * {@code period}, extending a piece while every tap index moves by the same shift and every
     * weight stays within {@link #WEIGHT_TOLERANCE}.
     */
    private static List<Piece> pieces(Taps[] table, long period) {
        boolean[] covered = new boolean[table.length];
        List<Piece> pieces = new ArrayList<>();
        int taps = table[0].index().length;
        for (int start = 0; start < table.length; start++) {
            if (covered[start]) {
                continue;
            }
            Taps first = table[start];
            long[] shift = null;
            long count = 1;
            covered[start] = true;
            for (long o = start + period; o < table.length && !covered[(int) o]; o += period) {
                Taps t = table[(int) o];
                long[] s = new long[taps];
                boolean same = true;
                for (int j = 0; same && j < taps; j++) {
                    s[j] = t.index()[j] - table[(int) (o - period)].index()[j];
                    same = Math.abs(t.weight()[j] - first.weight()[j]) <= WEIGHT_TOLERANCE
                            && (shift == null || s[j] == shift[j]);
                }
                if (!same) {
                    break;
                }
                shift = s;
                covered[(int) o] = true;
                count++;
            }
            pieces.add(new Piece(start, period, count, first.index(), shift == null ? new long[taps] : shift,
                    first.weight()));
        }
        return pieces;
    }

    /**
     * The period of the coordinate map of an axis: the least {@code p} (at most the output size) for
     * which {@code p / scale} is an integer, so that {@code x(o + p) = x(o) + p/scale} moves every
     * tap by a whole number of input positions. Example: scale 2 gives 2; scale 1.5 gives 3.
     */
    private static long period(NodeLowering n, int k, long in, long out) {
        double s = scales(n) != null ? scales(n).get(k) : (double) out / in;
        for (long p = 1; p < out; p++) {
            double q = p / s;
            if (Math.abs(q - Math.rint(q)) <= 1e-9 * Math.max(1, q)) {
                return p;
            }
        }
        return out;
    }

    private static List<Double> scales(NodeLowering n) {
        return n.node().attributes().get("scales") instanceof Attribute.Floats f ? f.values() : null;
    }

    /**
     * The taps of every output coordinate of axis {@code k}, computed as the reference interpreter
     * does. The formulas are written here again on purpose rather than called from
     * {@code reference.Resize}: the interpreter is what the lowered programs are judged against,
     * so a slip in one copy shows up as a disagreement instead of being shared by both.
     */
    private static Taps[] table(NodeLowering n, String mode, int k, long in, long out) {
        String coordinates = n.strAttr("coordinate_transformation_mode", "half_pixel");
        String nearest = n.strAttr("nearest_mode", "round_prefer_floor");
        double a = n.floatAttr("cubic_coeff_a", -0.75);
        boolean excludeOutside = n.intAttr("exclude_outside", 0) == 1;
        List<Double> scales = scales(n);
        float scale = scales != null ? scales.get(k).floatValue() : (float) out / in;
        Taps[] table = new Taps[(int) out];
        for (int o = 0; o < out; o++) {
            float c = coordinate(coordinates, o, scale, in, out);
            table[o] = switch (mode) {
                case "linear" -> linear(c, in);
                case "cubic" -> cubic(c, in, a, excludeOutside);
                default -> new Taps(new long[] {Math.max(0, Math.min(in - 1, round(nearest, c)))}, new double[] {1});
            };
        }
        return table;
    }

    private static Taps linear(float c, long in) {
        c = Math.max(0f, Math.min(c, in - 1));
        long i0 = (long) Math.floor(c);
        double w = c - i0;
        return new Taps(new long[] {i0, Math.min(i0 + 1, in - 1)}, new double[] {1 - w, w});
    }

    /** Keys' cubic convolution weights for the taps ⌊x⌋ − 1 … ⌊x⌋ + 2, edge-clamped or renormalised inside. */
    private static Taps cubic(float c, long in, double a, boolean excludeOutside) {
        long base = (long) Math.floor(c);
        double t = c - base;
        double[] w = new double[4];
        long[] index = new long[4];
        double sum = 0;
        for (int j = 0; j < 4; j++) {
            double dist = Math.abs(t - (j - 1));
            w[j] = dist <= 1 ? ((a + 2) * dist - (a + 3)) * dist * dist + 1
                    : dist < 2 ? ((a * dist - 5 * a) * dist + 8 * a) * dist - 4 * a : 0;
            long p = base + j - 1;
            if (excludeOutside && (p < 0 || p >= in)) {
                w[j] = 0;
            }
            sum += w[j];
            index[j] = Math.max(0, Math.min(in - 1, p));
        }
        if (excludeOutside && sum != 0) {
            for (int j = 0; j < 4; j++) {
                w[j] /= sum;
            }
        }
        return new Taps(index, w);
    }

    /** The input coordinate of output coordinate {@code o}, computed in float as ONNX specifies. */
    private static float coordinate(String mode, int o, float scale, long in, long out) {
        float resized = in * scale;
        return switch (mode) {
            case "half_pixel" -> (o + 0.5f) / scale - 0.5f;
            case "half_pixel_symmetric" -> in / 2f * (1 - out / resized) + (o + 0.5f) / scale - 0.5f;
            case "pytorch_half_pixel" -> resized > 1 ? (o + 0.5f) / scale - 0.5f : 0f;
            case "align_corners" -> resized == 1 ? 0f : o * (float) (in - 1) / (resized - 1);
            default -> o / scale;
        };
    }

    private static long round(String mode, float c) {
        double f = Math.floor(c);
        return switch (mode) {
            case "floor" -> (long) f;
            case "ceil" -> (long) Math.ceil(c);
            case "round_prefer_ceil" -> c - f == 0.5 ? (long) f + 1 : Math.round((double) c);
            default -> c - f == 0.5 ? (long) f : Math.round((double) c);
        };
    }
}
