package dev.tessera.operators.lowering;

import java.util.ArrayList;
import java.util.List;

/**
 * MaxPool and AveragePool (strides, dilations, pads, {@code ceil_mode}, {@code count_include_pad})
 * on the vector engine, channels on partitions, a tile of output positions in the free dimensions:
 *
 * <pre>
 * for n, tc, to…:
 *   x[c, l…] ← -inf (max) or 0 (average)        (positions outside the input: never loaded)
 *   x[c, l…] ← DMA X[n, c, s·chunk·to + l - p]   (0 ≤ position < size)
 *   acc[c, o…] ← -inf or 0;  acc = max(acc, x[c, s·o + d·r]) or acc += x[…]   over taps r
 *   average: cnt ← 0; cnt += 1 over the taps inside the input (or the padded input with
 *            count_include_pad); y ← acc / cnt
 *   Y ← DMA y
 *   MaxPool's Indices: idx ← -1;  idx = argmax_acc(x[c, s·o + d·r], acc, idx) over the taps inside
 *            the input, in order (the first maximum wins; the op computes the flat position
 *            n·C·H·W + c·H·W + h·W + w affinely from the iterators);  Indices ← DMA idx (int64)
 * </pre>
 */
final class PoolLowering {
    private PoolLowering() {}

    static void lower(NodeLowering n) {
        boolean max = n.node().opType().equals("MaxPool");
        boolean indices = max && n.node().outputs().size() > 1 && !n.node().outputs().get(1).isEmpty();
        List<Long> x = n.inShape(0);
        List<Long> y = n.outShape(0);
        int s = x.size() - 2;
        Window win = Window.of(n, n.intsAttr("kernel_shape", List.of()), x.subList(2, x.size()), y.subList(2, y.size()));
        var spec = n.program().spec();
        // four fp32-sized tiles (window, accumulator, result, count); an int64 index tile takes two more
        long budget = spec.sbufBytesPerPartition() / (indices ? 6 : 4)
                / Math.max(n.storage().bytes(), ElementType.FP32.bytes());
        long[] chunks = win.chunks(y.subList(2, y.size()), budget, budget);
        if (chunks == null) {
            throw n.unsupported("one row of the pooling window does not fit an SBUF partition");
        }
        TiledAxis an = new TiledAxis("n", "ni", x.get(0), 1);
        TiledAxis ac = TiledAxis.of("c", x.get(1), n.partitions());
        List<TiledAxis> ao = new ArrayList<>();
        for (int a = 0; a < s; a++) {
            ao.add(new TiledAxis("to" + a, "o" + a, y.get(2 + a), chunks[a]));
        }
        List<Iterator> outer = new ArrayList<>();
        MatMulLowering.addTile(outer, an);
        MatMulLowering.addTile(outer, ac);
        for (TiledAxis t : ao) {
            MatMulLowering.addTile(outer, t);
        }
        Window.Halo halo = win.halo(ao, x.subList(2, 2 + s));
        List<Long> xShape = new ArrayList<>(List.of(ac.chunk()));
        xShape.addAll(halo.shape());
        List<Iterator> xIters = new ArrayList<>(outer);
        xIters.addAll(MatMulLowering.intra(ac));
        xIters.addAll(halo.iterators());
        List<Iterator> xIntra = new ArrayList<>(MatMulLowering.intra(ac));
        xIntra.addAll(halo.iterators());
        List<Constraint> windowBounds = new ArrayList<>(ac.boundary());
        windowBounds.addAll(halo.bounds());
        List<Constraint> inside = halo.inside();
        List<Expr> xLocal = new ArrayList<>(List.of(ac.local()));
        xLocal.addAll(halo.local());
        List<Expr> xGlobal = new ArrayList<>(List.of(an.global(), ac.global()));
        xGlobal.addAll(halo.global());
        String xSb = n.sbuf("x", n.storage(), xShape);
        double identity = max ? Double.NEGATIVE_INFINITY : 0.0;
        n.stmt("pad_x", StatementKind.VECTOR, Engine.VECTOR, Operation.of(OpCode.FILL, identity))
                .domain(new Domain(xIters, windowBounds), outer.size())
                .schedule(n.time(outer, 0, xIntra)).write(xSb, xLocal).add();
        List<Constraint> loadBounds = new ArrayList<>(windowBounds);
        loadBounds.addAll(inside);
        n.stmt("load_x", StatementKind.DMA, Engine.DMA, Operation.of(OpCode.COPY))
                .domain(new Domain(xIters, loadBounds), outer.size())
                .schedule(n.time(outer, 1, xIntra)).write(xSb, xLocal).read(n.inDram(0), xGlobal).add();

        List<TiledAxis> co = new ArrayList<>(List.of(ac));
        co.addAll(ao);
        List<Long> tile = new ArrayList<>(List.of(ac.chunk()));
        List<Expr> tileLocal = new ArrayList<>(List.of(ac.local()));
        for (TiledAxis t : ao) {
            tile.add(t.chunk());
            tileLocal.add(t.local());
        }
        Domain tileDomain = MatMulLowering.domain(outer, co);
        List<Iterator> tileIntra = MatMulLowering.intra(co.toArray(new TiledAxis[0]));
        String acc = n.sbuf("acc", ElementType.FP32, tile);
        n.stmt("acc_init", StatementKind.VECTOR, Engine.VECTOR, Operation.of(OpCode.FILL, identity))
                .domain(tileDomain, outer.size()).schedule(n.time(outer, 2, tileIntra)).write(acc, tileLocal).add();
        List<Iterator> taps = new ArrayList<>();
        List<Expr> xRead = new ArrayList<>(List.of(ac.local()));
        for (int a = 0; a < s; a++) {
            taps.add(Iterator.range("r" + a, win.k(a)));
            xRead.add(ao.get(a).local().times(win.stride(a)).plus(Expr.var("r" + a).times(win.dilation(a))));
        }
        List<Iterator> redIters = new ArrayList<>(tileDomain.iterators());
        redIters.addAll(taps);
        List<Iterator> redIntra = new ArrayList<>(tileIntra);
        redIntra.addAll(taps);
        n.stmt(max ? "max" : "sum", StatementKind.VECTOR, Engine.VECTOR, Operation.of(max ? OpCode.MAX_ACC : OpCode.SUM_ACC))
                .domain(new Domain(redIters, tileDomain.constraints()), outer.size())
                .schedule(n.time(outer, 3, redIntra)).write(acc, tileLocal).read(xSb, xRead).read(acc, tileLocal).add();
        String ySb = n.sbuf("y", n.storage(), tile);
        String idx = null;
        if (indices) {
            idx = n.sbuf("index", n.outType(1), tile);
            n.stmt("index_init", StatementKind.VECTOR, Engine.VECTOR, Operation.of(OpCode.FILL, -1))
                    .domain(tileDomain, outer.size()).schedule(n.time(outer, 4, tileIntra)).write(idx, tileLocal).add();
            List<Constraint> inInput = new ArrayList<>(tileDomain.constraints());
            Expr position = an.global().times(x.get(1)).plus(ac.global());
            for (int a = 0; a < s; a++) {
                Expr padded = ao.get(a).global().times(win.stride(a)).plus(Expr.var("r" + a).times(win.dilation(a)));
                inInput.add(Constraint.le(Expr.constant(win.pad(a)), padded));
                inInput.add(Constraint.lt(padded, Expr.constant(win.pad(a) + x.get(2 + a))));
                position = position.times(x.get(2 + a)).plus(padded.plus(-win.pad(a)));
            }
            Domain argmax = new Domain(redIters, inInput);
            n.stmt("argmax", StatementKind.VECTOR, Engine.VECTOR, Operation.of(OpCode.ARGMAX_ACC,
                            affineCoefficients(position, argmax.names())))
                    .domain(argmax, outer.size()).schedule(n.time(outer, 5, redIntra))
                    .write(idx, tileLocal).read(xSb, xRead).read(acc, tileLocal).read(idx, tileLocal).add();
        }
        if (max) {
            n.stmt("evict", StatementKind.VECTOR, Engine.VECTOR, Operation.of(OpCode.COPY))
                    .domain(tileDomain, outer.size()).schedule(n.time(outer, 6, tileIntra))
                    .write(ySb, tileLocal).read(acc, tileLocal).add();
        } else {
            boolean includePad = n.intAttr("count_include_pad", 0) == 1;
            String cnt = n.sbuf("count", ElementType.FP32, tile);
            n.stmt("count_init", StatementKind.VECTOR, Engine.VECTOR, Operation.of(OpCode.FILL, 0))
                    .domain(tileDomain, outer.size()).schedule(n.time(outer, 4, tileIntra)).write(cnt, tileLocal).add();
            List<Constraint> counted = new ArrayList<>(tileDomain.constraints());
            for (int a = 0; a < s; a++) {
                Expr padded = ao.get(a).global().times(win.stride(a)).plus(Expr.var("r" + a).times(win.dilation(a)));
                long lo = includePad ? 0 : win.pad(a);
                long hi = includePad ? x.get(2 + a) + win.padBegin().get(a) + win.padEnd().get(a) : win.pad(a) + x.get(2 + a);
                counted.add(Constraint.le(Expr.constant(lo), padded));
                counted.add(Constraint.lt(padded, Expr.constant(hi)));
            }
            n.stmt("count", StatementKind.VECTOR, Engine.VECTOR, Operation.of(OpCode.COUNT_ACC))
                    .domain(new Domain(redIters, counted), outer.size()).schedule(n.time(outer, 5, redIntra))
                    .write(cnt, tileLocal).read(cnt, tileLocal).add();
            n.stmt("average", StatementKind.VECTOR, Engine.VECTOR, Operation.of(OpCode.DIV))
                    .domain(tileDomain, outer.size()).schedule(n.time(outer, 6, tileIntra))
                    .write(ySb, tileLocal).read(acc, tileLocal).read(cnt, tileLocal).add();
        }
        List<Expr> yGlobal = new ArrayList<>(List.of(an.global(), ac.global()));
        for (TiledAxis t : ao) {
            yGlobal.add(t.global());
        }
        n.stmt("store", StatementKind.DMA, Engine.DMA, Operation.of(OpCode.COPY))
                .domain(tileDomain, outer.size()).schedule(n.time(outer, 7, tileIntra))
                .write(n.outDram(0), yGlobal).read(ySb, tileLocal).add();
        if (indices) {
            n.stmt("store_indices", StatementKind.DMA, Engine.DMA, Operation.of(OpCode.COPY))
                    .domain(tileDomain, outer.size()).schedule(n.time(outer, 8, tileIntra))
                    .write(n.outDram(1), yGlobal).read(idx, tileLocal).add();
        }
    }

    /** The parameters of {@code argmax_acc}: the constant of affine {@code e}, then its coefficient of each iterator. */
    private static List<Double> affineCoefficients(Expr e, List<String> names) {
        long[] point = new long[names.size()];
        long constant = e.eval(names, point);
        List<Double> out = new ArrayList<>(List.of((double) constant));
        for (int j = 0; j < point.length; j++) {
            point[j] = 1;
            out.add((double) (e.eval(names, point) - constant));
            point[j] = 0;
        }
        return out;
    }
}
