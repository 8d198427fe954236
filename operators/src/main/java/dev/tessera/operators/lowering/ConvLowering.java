package dev.tessera.operators.lowering;

import java.util.ArrayList;
import java.util.List;

/**
 * Conv and ConvTranspose (1-3 spatial axes, strides, dilations, pads, groups, depthwise) as
 * matmuls on the tensor engine: per kernel tap, the group's input channels (on partitions, ≤ max
 * contraction) are contracted with a tile of output channels (≤ max stationary free) over a tile
 * of output pixels (≤ max moving free, one PSUM bank).
 *
 * <p>Conv, with {@code h = s·(chunk·to + o) + d·r - p}:
 * <pre>
 * for n, g, tm, to…:                       psum[m, o…] ← 0
 *   for tc:  x[c, l…] ← 0                 (only when padded: pads read zeros, never DRAM)
 *            x[c, l…] ← DMA X[n, g·Cg + c, s·chunk·to + l - p]    (0 ≤ position < size: padding constrained out)
 *            w[c, m, r…] ← DMA W[g·Mg + m, c, r…]
 *            psum[m, o…] += x[c, s·o + d·r] · w[c, m, r]          (one matmul per tap r)
 *   y[m, o…] ← evict psum (+ bias)
 *   Y[n, g·Mg + m, chunk·to + o] ← DMA y
 * </pre>
 * The matmul domain has one point per multiply-accumulate, padded taps included (they multiply
 * zeros), so its cardinality is {@code |Y| · Cg · Π k}.
 *
 * <p>ConvTranspose scatters: for each input-pixel tile and tap, a matmul gives the tap's
 * contribution at output {@code o = s·i + d·r - p}, added into an SBUF tile of the whole output
 * plane (which must fit a partition); cardinality {@code |X| · Mg · Π k}.
 */
final class ConvLowering {
    private ConvLowering() {}

    static void lower(NodeLowering n) {
        if (n.node().opType().equals("ConvTranspose")) {
            lowerTransposed(n);
            return;
        }
        List<Long> x = n.inShape(0);
        List<Long> w = n.inShape(1);
        List<Long> y = n.outShape(0);
        int s = x.size() - 2;
        long groups = n.intAttr("group", 1);
        long cg = x.get(1) / groups;
        long mg = y.get(1) / groups;
        Window win = Window.of(n, w.subList(2, w.size()), x.subList(2, x.size()), y.subList(2, y.size()));
        var spec = n.program().spec();
        TiledAxis an = new TiledAxis("n", "ni", x.get(0), 1);
        TiledAxis ag = new TiledAxis("g", "gi", groups, 1);
        TiledAxis am = TiledAxis.of("m", mg, spec.maxStationaryFree());
        TiledAxis ac = TiledAxis.of("c", cg, spec.maxContraction());
        long budget = spec.sbufBytesPerPartition() / n.storage().bytes();
        long pixels = Math.min(spec.maxMovingFree(), spec.psumBankBytes() / ElementType.FP32.bytes());
        long wElements = am.chunk() * product(win.kernel());
        long[] chunks = win.chunks(y.subList(2, y.size()), pixels, budget - wElements - pixels - 1);
        if (chunks == null || wElements > budget / 2) {
            throw n.unsupported("the kernel " + win.kernel() + " with " + am.chunk() + " output channels or one row of"
                    + " its input window does not fit the " + spec.sbufBytesPerPartition()
                    + " bytes of an SBUF partition");
        }
        List<TiledAxis> ao = new ArrayList<>();
        for (int a = 0; a < s; a++) {
            ao.add(new TiledAxis("to" + a, "o" + a, y.get(2 + a), chunks[a]));
        }
        List<Iterator> outer = new ArrayList<>();
        MatMulLowering.addTile(outer, an);
        MatMulLowering.addTile(outer, ag);
        MatMulLowering.addTile(outer, am);
        for (TiledAxis t : ao) {
            MatMulLowering.addTile(outer, t);
        }
        List<Iterator> withC = new ArrayList<>(outer);
        MatMulLowering.addTile(withC, ac);

        Window.Halo halo = win.halo(ao, x.subList(2, 2 + s));
        List<Long> xShape = new ArrayList<>(List.of(ac.chunk()));
        xShape.addAll(halo.shape());
        List<Iterator> window = halo.iterators();
        List<Constraint> windowBounds = new ArrayList<>(ac.boundary());
        windowBounds.addAll(halo.bounds());
        List<Constraint> inside = halo.inside();
        List<Expr> xLocal = new ArrayList<>(List.of(ac.local()));
        xLocal.addAll(halo.local());
        List<Expr> xGlobal = new ArrayList<>(List.of(an.global(), ag.global().times(cg).plus(ac.global())));
        xGlobal.addAll(halo.global());
        List<Long> tile = new ArrayList<>(List.of(am.chunk()));
        List<Expr> tileLocal = new ArrayList<>(List.of(am.local()));
        for (TiledAxis t : ao) {
            tile.add(t.chunk());
            tileLocal.add(t.local());
        }
        String xSb = n.sbuf("x", n.storage(), xShape);
        List<Long> wShape = new ArrayList<>(List.of(ac.chunk(), am.chunk()));
        wShape.addAll(win.kernel());
        String wSb = n.sbuf("w", n.storage(), wShape);
        String ps = n.psum("acc", tile);
        String ySb = n.sbuf("y", n.storage(), tile);

        List<TiledAxis> mo = new ArrayList<>(List.of(am));
        mo.addAll(ao);
        Domain tileDomain = MatMulLowering.domain(outer, mo);
        List<Iterator> tileIntra = intra(mo);
        n.stmt("zero", StatementKind.VECTOR, Engine.VECTOR, Operation.of(OpCode.FILL, 0))
                .domain(tileDomain, outer.size()).schedule(n.time(outer, 0, 0, 0, tileIntra)).write(ps, tileLocal).add();

        List<Iterator> xIters = new ArrayList<>(withC);
        xIters.addAll(MatMulLowering.intra(ac));
        xIters.addAll(window);
        List<Iterator> xIntra = new ArrayList<>(MatMulLowering.intra(ac));
        xIntra.addAll(window);
        if (win.padded()) {
            n.stmt("pad_x", StatementKind.VECTOR, Engine.VECTOR, Operation.of(OpCode.FILL, 0))
                    .domain(new Domain(xIters, windowBounds), withC.size())
                    .schedule(n.time(outer, 1, ac.tile(), 0, xIntra)).write(xSb, xLocal).add();
        }
        List<Constraint> loadBounds = new ArrayList<>(windowBounds);
        loadBounds.addAll(inside);
        n.stmt("load_x", StatementKind.DMA, Engine.DMA, Operation.of(OpCode.COPY))
                .domain(new Domain(xIters, loadBounds), withC.size())
                .schedule(n.time(outer, 1, ac.tile(), 1, xIntra)).write(xSb, xLocal).read(n.inDram(0), xGlobal).add();

        List<Iterator> taps = new ArrayList<>();
        List<Expr> tapVars = new ArrayList<>();
        for (int a = 0; a < s; a++) {
            taps.add(Iterator.range("r" + a, win.k(a)));
            tapVars.add(Expr.var("r" + a));
        }
        List<Iterator> wIntra = new ArrayList<>(MatMulLowering.intra(ac, am));
        wIntra.addAll(taps);
        List<Expr> wLocal = new ArrayList<>(List.of(ac.local(), am.local()));
        wLocal.addAll(tapVars);
        List<Expr> wGlobal = new ArrayList<>(List.of(ag.global().times(mg).plus(am.global()), ac.global()));
        wGlobal.addAll(tapVars);
        List<Iterator> wIters = new ArrayList<>(withC);
        wIters.addAll(wIntra);
        List<Constraint> wBounds = new ArrayList<>(ac.boundary());
        wBounds.addAll(am.boundary());
        n.stmt("load_w", StatementKind.DMA, Engine.DMA, Operation.of(OpCode.COPY))
                .domain(new Domain(wIters, wBounds), withC.size())
                .schedule(n.time(outer, 1, ac.tile(), 2, wIntra)).write(wSb, wLocal).read(n.inDram(1), wGlobal).add();

        List<Iterator> mmIters = new ArrayList<>(withC);
        mmIters.addAll(taps);
        List<Iterator> mmIntra = new ArrayList<>(tileIntra);
        mmIntra.addAll(MatMulLowering.intra(ac));
        mmIters.addAll(mmIntra);
        List<Constraint> mmBounds = new ArrayList<>();
        for (TiledAxis t : mo) {
            mmBounds.addAll(t.boundary());
        }
        mmBounds.addAll(ac.boundary());
        List<Expr> xRead = new ArrayList<>(List.of(ac.local()));
        for (int a = 0; a < s; a++) {
            xRead.add(ao.get(a).local().times(win.stride(a)).plus(tapVars.get(a).times(win.dilation(a))));
        }
        n.stmt("mm", StatementKind.MATMUL, Engine.TENSOR, Operation.of(OpCode.MAC))
                .domain(new Domain(mmIters, mmBounds), withC.size() + s)
                .schedule(n.time(outer, 1, ac.tile(), 3, taps, mmIntra))
                .write(ps, tileLocal).read(xSb, xRead).read(wSb, wLocal).read(ps, tileLocal).add();

        String bSb = n.hasInput(2) ? loadBias(n, outer, am, ag.global().times(mg).plus(am.global())) : null;
        NodeLowering.StatementBuilder ev = n.stmt("evict", StatementKind.VECTOR, Engine.VECTOR,
                        Operation.of(bSb == null ? OpCode.COPY : OpCode.ADD))
                .domain(tileDomain, outer.size()).schedule(n.time(outer, 3, 0, 0, tileIntra))
                .write(ySb, tileLocal).read(ps, tileLocal);
        if (bSb != null) {
            ev.read(bSb, List.of(am.local(), Expr.constant(0)));
        }
        ev.add();
        List<Expr> yGlobal = new ArrayList<>(List.of(an.global(), ag.global().times(mg).plus(am.global())));
        for (TiledAxis t : ao) {
            yGlobal.add(t.global());
        }
        n.stmt("store", StatementKind.DMA, Engine.DMA, Operation.of(OpCode.COPY))
                .domain(tileDomain, outer.size()).schedule(n.time(outer, 4, 0, 0, tileIntra))
                .write(n.outDram(0), yGlobal).read(ySb, tileLocal).add();
    }

    /** Loads the bias of the output-channel tile into {@code [Mc, 1]}; returns the buffer. */
    private static String loadBias(NodeLowering n, List<Iterator> outer, TiledAxis am, Expr channel) {
        String bSb = n.sbuf("bias", n.storage(), List.of(am.chunk(), 1L));
        n.stmt("load_bias", StatementKind.DMA, Engine.DMA, Operation.of(OpCode.COPY))
                .domain(MatMulLowering.domain(outer, List.of(am)), outer.size())
                .schedule(n.time(outer, 2, 0, 0, MatMulLowering.intra(am)))
                .write(bSb, List.of(am.local(), Expr.constant(0))).read(n.inDram(2), List.of(channel)).add();
        return bSb;
    }

    private static void lowerTransposed(NodeLowering n) {
        List<Long> x = n.inShape(0);
        List<Long> w = n.inShape(1);
        List<Long> y = n.outShape(0);
        int s = x.size() - 2;
        long groups = n.intAttr("group", 1);
        long cg = x.get(1) / groups;
        long mg = y.get(1) / groups;
        List<Long> kernel = w.subList(2, w.size());
        Window win = transposedWindow(n, kernel, x.subList(2, x.size()), y.subList(2, y.size()));
        var spec = n.program().spec();
        TiledAxis an = new TiledAxis("n", "ni", x.get(0), 1);
        TiledAxis ag = new TiledAxis("g", "gi", groups, 1);
        TiledAxis am = TiledAxis.of("m", mg, spec.maxStationaryFree());
        TiledAxis ac = TiledAxis.of("c", cg, spec.maxContraction());
        long budget = spec.sbufBytesPerPartition() / n.storage().bytes();
        long plane = product(y.subList(2, y.size()));
        long pixels = Math.min(spec.maxMovingFree(), spec.psumBankBytes() / ElementType.FP32.bytes());
        if (plane + am.chunk() + pixels + 1 > budget) {
            throw n.unsupported("the output plane " + y.subList(2, y.size()) + " does not fit the "
                    + spec.sbufBytesPerPartition() + " bytes of an SBUF partition");
        }
        long[] chunks = new long[s];
        long used = 1;
        for (int a = s - 1; a >= 0; a--) {
            chunks[a] = Math.max(1, Math.min(x.get(2 + a), pixels / used));
            used *= chunks[a];
        }
        List<TiledAxis> ai = new ArrayList<>();
        for (int a = 0; a < s; a++) {
            ai.add(new TiledAxis("ti" + a, "i" + a, x.get(2 + a), chunks[a]));
        }
        List<Iterator> outer = new ArrayList<>();
        MatMulLowering.addTile(outer, an);
        MatMulLowering.addTile(outer, ag);
        MatMulLowering.addTile(outer, am);
        List<Iterator> planeIters = new ArrayList<>();
        List<Expr> planeLocal = new ArrayList<>(List.of(am.local()));
        List<Long> planeShape = new ArrayList<>(List.of(am.chunk()));
        for (int a = 0; a < s; a++) {
            planeIters.add(Iterator.range("o" + a, y.get(2 + a)));
            planeLocal.add(Expr.var("o" + a));
            planeShape.add(y.get(2 + a));
        }
        String ySb = n.sbuf("y", n.storage(), planeShape);
        List<Iterator> planeIntra = new ArrayList<>(MatMulLowering.intra(am));
        planeIntra.addAll(planeIters);
        List<Iterator> planeAll = new ArrayList<>(outer);
        planeAll.addAll(planeIntra);
        Domain planeDomain = new Domain(planeAll, am.boundary());
        n.stmt("zero_y", StatementKind.VECTOR, Engine.VECTOR, Operation.of(OpCode.FILL, 0))
                .domain(planeDomain, outer.size()).schedule(n.time(outer, 0, List.of(), 0, 0, planeIntra))
                .write(ySb, planeLocal).add();

        List<Iterator> pixTiles = new ArrayList<>(outer);
        for (TiledAxis t : ai) {
            MatMulLowering.addTile(pixTiles, t);
        }
        List<Iterator> taps = new ArrayList<>();
        List<Expr> tapVars = new ArrayList<>();
        for (int a = 0; a < s; a++) {
            taps.add(Iterator.range("r" + a, win.k(a)));
            tapVars.add(Expr.var("r" + a));
        }
        List<Iterator> perTap = new ArrayList<>(pixTiles);
        perTap.addAll(taps);
        List<Iterator> pixTileOnly = pixTiles.subList(outer.size(), pixTiles.size());
        List<Iterator> withC = new ArrayList<>(perTap);
        MatMulLowering.addTile(withC, ac);

        List<Long> tile = new ArrayList<>(List.of(am.chunk()));
        List<Expr> tileLocal = new ArrayList<>(List.of(am.local()));
        List<TiledAxis> mi = new ArrayList<>(List.of(am));
        for (TiledAxis t : ai) {
            tile.add(t.chunk());
            tileLocal.add(t.local());
            mi.add(t);
        }
        String ps = n.psum("acc", tile);
        List<Long> xShape = new ArrayList<>(List.of(ac.chunk()));
        List<Expr> xLocal = new ArrayList<>(List.of(ac.local()));
        List<Expr> xGlobal = new ArrayList<>(List.of(an.global(), ag.global().times(cg).plus(ac.global())));
        List<TiledAxis> ci = new ArrayList<>(List.of(ac));
        for (TiledAxis t : ai) {
            xShape.add(t.chunk());
            xLocal.add(t.local());
            xGlobal.add(t.global());
            ci.add(t);
        }
        String xSb = n.sbuf("x", n.storage(), xShape);
        String wSb = n.sbuf("w", n.storage(), List.of(ac.chunk(), am.chunk()));
        List<Iterator> miIntra = intra(mi);
        n.stmt("zero", StatementKind.VECTOR, Engine.VECTOR, Operation.of(OpCode.FILL, 0))
                .domain(MatMulLowering.domain(perTap, mi), perTap.size())
                .schedule(n.time(outer, 1, pixTileOnly, taps, 0, 0, 0, miIntra)).write(ps, tileLocal).add();
        List<Iterator> ciIntra = intra(ci);
        n.stmt("load_x", StatementKind.DMA, Engine.DMA, Operation.of(OpCode.COPY))
                .domain(MatMulLowering.domain(withC, ci), withC.size())
                .schedule(n.time(outer, 1, pixTileOnly, taps, 1, ac.tile(), 0, ciIntra))
                .write(xSb, xLocal).read(n.inDram(0), xGlobal).add();
        List<Expr> wGlobal = new ArrayList<>(List.of(ag.global().times(cg).plus(ac.global()), am.global()));
        wGlobal.addAll(tapVars);
        n.stmt("load_w", StatementKind.DMA, Engine.DMA, Operation.of(OpCode.COPY))
                .domain(MatMulLowering.domain(withC, List.of(ac, am)), withC.size())
                .schedule(n.time(outer, 1, pixTileOnly, taps, 1, ac.tile(), 1, MatMulLowering.intra(ac, am)))
                .write(wSb, List.of(ac.local(), am.local())).read(n.inDram(1), wGlobal).add();
        List<TiledAxis> mic = new ArrayList<>(mi);
        mic.add(ac);
        n.stmt("mm", StatementKind.MATMUL, Engine.TENSOR, Operation.of(OpCode.MAC))
                .domain(MatMulLowering.domain(withC, mic), withC.size())
                .schedule(n.time(outer, 1, pixTileOnly, taps, 1, ac.tile(), 2, intra(mic)))
                .write(ps, tileLocal).read(xSb, xLocal).read(wSb, List.of(ac.local(), am.local()))
                .read(ps, tileLocal).add();
        List<Constraint> scatter = new ArrayList<>();
        List<Expr> yAt = new ArrayList<>(List.of(am.local()));
        for (int a = 0; a < s; a++) {
            Expr o = ai.get(a).global().times(win.stride(a)).plus(tapVars.get(a).times(win.dilation(a)))
                    .plus(-win.pad(a));
            scatter.add(Constraint.le(Expr.constant(0), o));
            scatter.add(Constraint.lt(o, Expr.constant(y.get(2 + a))));
            yAt.add(o);
        }
        Domain scatterDomain = MatMulLowering.domain(perTap, mi);
        List<Constraint> sc = new ArrayList<>(scatterDomain.constraints());
        sc.addAll(scatter);
        n.stmt("scatter", StatementKind.VECTOR, Engine.VECTOR, Operation.of(OpCode.ADD))
                .domain(new Domain(scatterDomain.iterators(), sc), perTap.size())
                .schedule(n.time(outer, 1, pixTileOnly, taps, 2, 0, 0, miIntra))
                .write(ySb, yAt).read(ps, tileLocal).read(ySb, yAt).add();
        if (n.hasInput(2)) {
            String bSb = loadBias(n, outer, am, ag.global().times(mg).plus(am.global()));
            n.stmt("bias", StatementKind.VECTOR, Engine.VECTOR, Operation.of(OpCode.ADD))
                    .domain(planeDomain, outer.size()).schedule(n.time(outer, 3, List.of(), 0, 0, planeIntra))
                    .write(ySb, planeLocal).read(ySb, planeLocal).read(bSb, List.of(am.local(), Expr.constant(0))).add();
        }
        List<Expr> yGlobal = new ArrayList<>(List.of(an.global(), ag.global().times(mg).plus(am.global())));
        for (int a = 0; a < s; a++) {
            yGlobal.add(Expr.var("o" + a));
        }
        n.stmt("store", StatementKind.DMA, Engine.DMA, Operation.of(OpCode.COPY))
                .domain(planeDomain, outer.size()).schedule(n.time(outer, 4, List.of(), 0, 0, planeIntra))
                .write(n.outDram(0), yGlobal).read(ySb, planeLocal).add();
    }

    /**
     * The pads of a ConvTranspose: explicit, or under SAME auto-padding the total
     * {@code s·(in-1) + output_padding + d·(k-1) + 1 - out} split as ONNX does (SAME_UPPER puts the
     * odd one at the begin for ConvTranspose).
     */
    private static Window transposedWindow(NodeLowering n, List<Long> kernel, List<Long> in, List<Long> out) {
        int s = kernel.size();
        List<Long> strides = n.intsAttr("strides", NodeLowering.repeat(1, s));
        List<Long> dilations = n.intsAttr("dilations", NodeLowering.repeat(1, s));
        List<Long> outputPadding = n.intsAttr("output_padding", NodeLowering.repeat(0, s));
        String autoPad = n.strAttr("auto_pad", "NOTSET");
        List<Long> pads = n.intsAttr("pads", NodeLowering.repeat(0, 2 * s));
        List<Long> begin = new ArrayList<>();
        List<Long> end = new ArrayList<>();
        for (int a = 0; a < s; a++) {
            boolean derived = autoPad.startsWith("SAME") || n.node().attributes().containsKey("output_shape");
            if (derived && !autoPad.equals("VALID")) {
                long total = strides.get(a) * (in.get(a) - 1) + outputPadding.get(a)
                        + dilations.get(a) * (kernel.get(a) - 1) + 1 - out.get(a);
                long half = total / 2;
                begin.add(autoPad.equals("SAME_UPPER") ? total - half : half);
                end.add(autoPad.equals("SAME_UPPER") ? half : total - half);
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

    private static List<Iterator> intra(List<TiledAxis> axes) {
        return MatMulLowering.intra(axes.toArray(new TiledAxis[0]));
    }

    static long product(List<Long> v) {
        long p = 1;
        for (long d : v) {
            p *= d;
        }
        return p;
    }
}
