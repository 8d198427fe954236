package dev.tessera.operators.lowering;

import dev.tessera.operators.InternalCompilerError;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Row-wise operators on the vector and scalar engines — ReduceMean and GlobalAveragePool,
 * Softmax, LayerNormalization — over a tiling of the input where the reduced axes stay whole in
 * the free dimensions of a tile (engines reduce along the free axis, never across partitions):
 *
 * <pre>
 * ReduceMean:  x ← DMA X;  acc ← 0;  acc += x;  y ← acc · (1/count);  Y ← DMA y
 * Softmax:     x ← DMA X;  mx ← -inf; mx = max(mx, x);  e ← exp(x - mx);  s ← 0;  s += e;  y ← e / s
 * LayerNorm:   x, scale, bias ← DMA;  sum += x; mean ← sum/n;  sq += (x - mean)²; var ← sq/n;
 *              y ← (x - mean)/sqrt(var + eps) · scale + bias
 * </pre>
 * Rows longer than the free budget are a documented limit (an {@code InvalidModelException}).
 */
final class ReductionLowering {
    private ReductionLowering() {}

    static void lower(NodeLowering n) {
        switch (n.node().opType()) {
            case "ReduceMean", "GlobalAveragePool" -> reduceMean(n);
            case "Softmax" -> softmax(n);
            case "LayerNormalization" -> layerNorm(n);
            default -> throw new InternalCompilerError("not a reduction: " + n.node().opType());
        }
    }

    private record Rows(TileSpace ts, Set<Integer> reduced, Set<Integer> kept, long rowLength) {}

    private static Rows rows(NodeLowering n, List<Long> shape, Set<Integer> reduced, int buffers) {
        long budget = n.program().spec().sbufBytesPerPartition() / buffers / n.storage().bytes();
        long row = 1;
        for (int k : reduced) {
            row *= shape.get(k);
        }
        if (row > budget) {
            throw n.unsupported("a row of " + row + " reduced elements exceeds the " + budget
                    + " elements per partition available to each of its " + buffers + " SBUF tiles");
        }
        int pa = TileSpace.choosePartitionAxis(shape, n.partitions(), reduced);
        TileSpace ts = TileSpace.plan("", shape, pa, n.partitions(), budget, reduced);
        Set<Integer> kept = new TreeSet<>(ts.all());
        kept.removeAll(reduced);
        return new Rows(ts, reduced, kept, row);
    }

    private static void reduceMean(NodeLowering n) {
        List<Long> x = n.inShape(0);
        Set<Integer> reduced = new TreeSet<>();
        boolean keepDims = true;
        if (n.node().opType().equals("GlobalAveragePool")) {
            for (int k = 2; k < x.size(); k++) {
                reduced.add(k);
            }
        } else {
            keepDims = n.intAttr("keepdims", 1) == 1;
            List<Long> axes = n.intsAttr("axes", List.of());
            if (axes.isEmpty() && n.intAttr("noop_with_empty_axes", 0) == 0) {
                for (int k = 0; k < x.size(); k++) {
                    reduced.add(k);
                }
            }
            for (long a : axes) {
                reduced.add((int) (a < 0 ? a + x.size() : a));
            }
        }
        Rows r = rows(n, x, reduced, 3);
        TileSpace ts = r.ts();
        Set<Integer> all = ts.all();
        String xSb = load(n, ts, 0, "x", all, 0);
        String acc = n.sbuf("acc", ElementType.FP32, ts.tileShape(r.kept()));
        fill(n, ts, acc, r.kept(), 0.0, "zero", 1);
        n.stmt("sum", StatementKind.VECTOR, Engine.VECTOR, Operation.of(OpCode.SUM_ACC))
                .domain(ts.domain(all, List.of(), List.of()), ts.tileDims())
                .schedule(n.time(ts.tileIterators(), 2, ts.intraIterators(all)))
                .write(acc, ts.local(r.kept())).read(xSb, ts.local(all)).read(acc, ts.local(r.kept())).add();
        String y = n.sbuf("y", n.storage(), ts.tileShape(r.kept()));
        n.stmt("mean", StatementKind.SCALAR, Engine.SCALAR, Operation.of(OpCode.SCALE, 1.0 / r.rowLength()))
                .domain(ts.domain(r.kept(), List.of(), List.of()), ts.tileDims())
                .schedule(n.time(ts.tileIterators(), 3, ts.intraIterators(r.kept())))
                .write(y, ts.local(r.kept())).read(acc, ts.local(r.kept())).add();
        List<Expr> yIdx = new ArrayList<>();
        for (int k = 0; k < x.size(); k++) {
            if (!reduced.contains(k)) {
                yIdx.add(ts.axis(k).global());
            } else if (keepDims) {
                yIdx.add(Expr.constant(0));
            }
        }
        n.stmt("store", StatementKind.DMA, Engine.DMA, Operation.of(OpCode.COPY))
                .domain(ts.domain(r.kept(), List.of(), List.of()), ts.tileDims())
                .schedule(n.time(ts.tileIterators(), 4, ts.intraIterators(r.kept())))
                .write(n.outDram(0), yIdx).read(y, ts.local(r.kept())).add();
    }

    private static void softmax(NodeLowering n) {
        List<Long> x = n.inShape(0);
        long axis = n.intAttr("axis", -1);
        Set<Integer> reduced = Set.of((int) (axis < 0 ? axis + x.size() : axis));
        Rows r = rows(n, x, reduced, 3);
        TileSpace ts = r.ts();
        Set<Integer> all = ts.all();
        Set<Integer> kept = r.kept();
        String xSb = load(n, ts, 0, "x", all, 0);
        String mx = n.sbuf("max", ElementType.FP32, ts.tileShape(kept));
        fill(n, ts, mx, kept, Double.NEGATIVE_INFINITY, "max_init", 1);
        compute(n, ts, "max", OpCode.MAX_ACC, mx, all, 2, List.of(xSb, mx), List.of(all, kept), kept);
        String e = n.sbuf("exp", ElementType.FP32, ts.tileShape(all));
        compute(n, ts, "exp", OpCode.EXP_SUB, e, all, 3, List.of(xSb, mx), List.of(all, kept));
        String sum = n.sbuf("sum", ElementType.FP32, ts.tileShape(kept));
        fill(n, ts, sum, kept, 0.0, "sum_init", 4);
        NodeLowering.StatementBuilder b = n.stmt("sum", StatementKind.VECTOR, Engine.VECTOR, Operation.of(OpCode.SUM_ACC))
                .domain(ts.domain(all, List.of(), List.of()), ts.tileDims())
                .schedule(n.time(ts.tileIterators(), 5, ts.intraIterators(all)))
                .write(sum, ts.local(kept)).read(e, ts.local(all)).read(sum, ts.local(kept));
        b.add();
        String y = n.sbuf("y", n.storage(), ts.tileShape(all));
        compute(n, ts, "div", OpCode.DIV, y, all, 6, List.of(e, sum), List.of(all, kept));
        ElementwiseLowering.store(n, ts, y, 0, 7);
    }

    private static void layerNorm(NodeLowering n) {
        List<Long> x = n.inShape(0);
        long axis = n.intAttr("axis", -1);
        int a = (int) (axis < 0 ? axis + x.size() : axis);
        Set<Integer> reduced = new TreeSet<>();
        for (int k = a; k < x.size(); k++) {
            reduced.add(k);
        }
        Rows r = rows(n, x, reduced, 5);
        TileSpace ts = r.ts();
        Set<Integer> all = ts.all();
        Set<Integer> kept = r.kept();
        String xSb = load(n, ts, 0, "x", all, 0);
        int[] map = new int[x.size() - a];
        for (int q = 0; q < map.length; q++) {
            map[q] = a + q;
        }
        Set<Integer> scaleUsed = ElementwiseLowering.usedAxes(n.inShape(1), map, x);
        String scale = ElementwiseLowering.loadTile(n, ts, 1, "scale", map, scaleUsed, 1);
        String bias = null;
        Set<Integer> biasUsed = null;
        if (n.hasInput(2)) {
            biasUsed = ElementwiseLowering.usedAxes(n.inShape(2), map, x);
            bias = ElementwiseLowering.loadTile(n, ts, 2, "bias", map, biasUsed, 2);
        }
        String sum = n.sbuf("sum", ElementType.FP32, ts.tileShape(kept));
        fill(n, ts, sum, kept, 0.0, "sum_init", 3);
        compute(n, ts, "sum", OpCode.SUM_ACC, sum, all, 4, List.of(xSb, sum), List.of(all, kept), kept);
        String mean = n.sbuf("mean", ElementType.FP32, ts.tileShape(kept));
        compute(n, ts, "mean", OpCode.SCALE, mean, kept, 5, List.of(sum), List.of(kept), 1.0 / r.rowLength());
        String sq = n.sbuf("sq", ElementType.FP32, ts.tileShape(kept));
        fill(n, ts, sq, kept, 0.0, "sq_init", 6);
        compute(n, ts, "sqdiff", OpCode.SQDIFF_ACC, sq, all, 7, List.of(xSb, mean, sq), List.of(all, kept, kept), kept);
        String var = n.sbuf("var", ElementType.FP32, ts.tileShape(kept));
        compute(n, ts, "var", OpCode.SCALE, var, kept, 8, List.of(sq), List.of(kept), 1.0 / r.rowLength());
        String y = n.sbuf("y", n.storage(), ts.tileShape(all));
        List<String> reads = new ArrayList<>(List.of(xSb, mean, var, scale));
        List<Set<Integer>> used = new ArrayList<>(List.of(all, kept, kept, scaleUsed));
        if (bias != null) {
            reads.add(bias);
            used.add(biasUsed);
        }
        NodeLowering.StatementBuilder b = n.stmt("normalize", StatementKind.VECTOR, Engine.VECTOR,
                        Operation.of(OpCode.LAYER_NORM, n.floatAttr("epsilon", 1e-5)))
                .domain(ts.domain(all, List.of(), List.of()), ts.tileDims())
                .schedule(n.time(ts.tileIterators(), 9, ts.intraIterators(all))).write(y, ts.local(all));
        for (int i = 0; i < reads.size(); i++) {
            b.read(reads.get(i), ts.local(used.get(i)));
        }
        b.add();
        ElementwiseLowering.store(n, ts, y, 0, 10);
    }

    private static String load(NodeLowering n, TileSpace ts, int input, String suffix, Set<Integer> used, int phase) {
        return ElementwiseLowering.loadTile(n, ts, input, suffix,
                ElementwiseLowering.rightAligned(n.inShape(input).size(), ts.rank()), used, phase);
    }

    private static void fill(NodeLowering n, TileSpace ts, String buf, Set<Integer> axes, double value, String suffix,
            int phase) {
        n.stmt(suffix, StatementKind.VECTOR, Engine.VECTOR, Operation.of(OpCode.FILL, value))
                .domain(ts.domain(axes, List.of(), List.of()), ts.tileDims())
                .schedule(n.time(ts.tileIterators(), phase, ts.intraIterators(axes)))
                .write(buf, ts.local(axes)).add();
    }

    /** A statement over the axes {@code over} writing {@code out} (indexed by its own axes). */
    private static void compute(NodeLowering n, TileSpace ts, String suffix, OpCode code, String out, Set<Integer> over,
            int phase, List<String> reads, List<Set<Integer>> readAxes) {
        compute(n, ts, suffix, code, out, over, phase, reads, readAxes, over);
    }

    private static void compute(NodeLowering n, TileSpace ts, String suffix, OpCode code, String out, Set<Integer> over,
            int phase, List<String> reads, List<Set<Integer>> readAxes, double param) {
        write(n, ts, suffix, Operation.of(code, param), out, over, phase, reads, readAxes, over);
    }

    private static void compute(NodeLowering n, TileSpace ts, String suffix, OpCode code, String out, Set<Integer> over,
            int phase, List<String> reads, List<Set<Integer>> readAxes, Set<Integer> outAxes) {
        write(n, ts, suffix, Operation.of(code), out, over, phase, reads, readAxes, outAxes);
    }

    private static void write(NodeLowering n, TileSpace ts, String suffix, Operation op, String out, Set<Integer> over,
            int phase, List<String> reads, List<Set<Integer>> readAxes, Set<Integer> outAxes) {
        boolean scalar = op.code() == OpCode.EXP_SUB || op.code() == OpCode.SCALE;
        NodeLowering.StatementBuilder b = n.stmt(suffix, scalar ? StatementKind.SCALAR : StatementKind.VECTOR,
                        scalar ? Engine.SCALAR : Engine.VECTOR, op)
                .domain(ts.domain(over, List.of(), List.of()), ts.tileDims())
                .schedule(n.time(ts.tileIterators(), phase, ts.intraIterators(over)))
                .write(out, ts.local(outAxes));
        for (int i = 0; i < reads.size(); i++) {
            b.read(reads.get(i), ts.local(readAxes.get(i)));
        }
        b.add();
    }
}
