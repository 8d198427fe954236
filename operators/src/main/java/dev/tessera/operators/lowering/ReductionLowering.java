package dev.tessera.operators.lowering;

import dev.tessera.operators.InternalCompilerError;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Row-wise operators on the vector and scalar engines — ReduceMean and GlobalAveragePool,
 * Softmax, LayerNormalization. A <em>row</em> is the set of elements reduced together (the
 * reduced axes at one point of the kept axes); the kept axes are tiled as usual, one of them on
 * the partitions, because engines reduce along the free axis, never across partitions.
 *
 * <p>A row that fits a partition's share of SBUF stays whole in the free dimensions of one tile.
 * A longer row is split into chunks along its (innermost) reduced axes, and the operator runs in
 * passes over the chunks: each chunk's partial reduction is combined into the row's accumulator
 * (sum or max) before the next chunk is loaded, and a later pass that needs the row again loads
 * its chunks again. With {@code [rt]} the chunk iterators (absent when the row fits):
 *
 * <pre>
 * ReduceMean:  acc ← 0;  for rt: x ← DMA X, acc += x;  y ← acc · (1/count);  Y ← DMA y
 * Softmax:     mx ← -inf;  for rt: x ← DMA X, mx = max(mx, x);
 *              s ← 0;  for rt: (x ← DMA X), e ← exp(x - mx), s += e;
 *              for rt: (x ← DMA X, e ← exp(x - mx)), y ← e / s, Y ← DMA y
 * LayerNorm:   sum ← 0;  for rt: x ← DMA X, sum += x;  mean ← sum/n;
 *              sq ← 0;  for rt: (x ← DMA X), sq += (x - mean)²;  var ← sq/n;
 *              for rt: (x ← DMA X), scale, bias ← DMA, y ← (x - mean)/sqrt(var + eps) · scale + bias, Y ← DMA y
 * </pre>
 * The parenthesised reloads and recomputations happen only for split rows (a whole row stays in
 * SBUF across passes), so a split row costs two (ReduceMean: no) extra reads of X from DRAM, all
 * counted exactly. Example: Softmax over a row of 20,000 fp32 elements on inferentia2 (192 KiB per
 * partition shared by five buffers: 9,830 elements each) runs in chunks of 9,830, 9,830 and 340,
 * reading X three times.
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

    /**
     * The tiling of a row-wise operator. Statements of the per-row parts iterate over the kept
     * tiles only; the per-chunk passes also over the chunk tiles ({@code t<k>} of the reduced
     * axes). Schedules are {@code [node, kept tiles…, pass, chunk tiles…, step, in-tile…]}.
     */
    private record Rows(NodeLowering n, TileSpace ts, Set<Integer> reduced, Set<Integer> kept, long rowLength,
            boolean split) {
        List<Iterator> keptTiles() {
            return tiles(kept);
        }

        List<Iterator> chunkTiles() {
            return tiles(reduced);
        }

        private List<Iterator> tiles(Set<Integer> axes) {
            List<Iterator> out = new ArrayList<>();
            for (int k : axes) {
                if (ts.axis(k).hasTile()) {
                    out.add(ts.axis(k).tileIterator());
                }
            }
            return out;
        }

        /** A per-row domain: kept tiles, then the in-tile iterators of {@code intra} (kept axes). */
        Domain rowDomain(Set<Integer> intra) {
            List<Iterator> its = new ArrayList<>(keptTiles());
            its.addAll(ts.intraIterators(intra));
            return new Domain(its, ts.boundaries(intra));
        }

        /** A per-chunk domain: kept and chunk tiles, then the in-tile iterators of {@code intra}. */
        Domain chunkDomain(Set<Integer> intra) {
            List<Iterator> its = new ArrayList<>(keptTiles());
            its.addAll(chunkTiles());
            its.addAll(ts.intraIterators(intra));
            return new Domain(its, ts.boundaries(intra));
        }

        List<Expr> rowTime(int pass, Set<Integer> intra) {
            return n.time(keptTiles(), pass, ts.intraIterators(intra));
        }

        List<Expr> chunkTime(int pass, int step, Set<Integer> intra) {
            return n.time(keptTiles(), pass, chunkTiles(), step, ts.intraIterators(intra));
        }

        int rowTileDims() {
            return keptTiles().size();
        }

        int chunkTileDims() {
            return keptTiles().size() + chunkTiles().size();
        }
    }

    /**
     * Plans the tiles of a row-wise operator on input shape {@code shape} with {@code buffers} SBUF
     * buffers per partition (each at most one tile of the input), every element sized for the
     * widest of the node's types and the fp32 accumulators. A row whose length does not fit a long is
     * an {@code InvalidModelException}.
     */
    private static Rows rows(NodeLowering n, List<Long> shape, Set<Integer> reduced, int buffers) {
        long budget = n.program().spec().sbufBytesPerPartition() / buffers
                / Math.max(n.widestBytes(), ElementType.FP32.bytes());
        long row = 1;
        for (int k : reduced) {
            try {
                row = Math.multiplyExact(row, shape.get(k));
            } catch (ArithmeticException e) {
                // a wrapped length (2^64 · 4 wraps to 0) would plan the row as fitting in SBUF
                List<Long> dims = new ArrayList<>();
                for (int j : reduced) {
                    dims.add(shape.get(j));
                }
                throw n.unsupported("a reduced row of " + dims + " elements has more than " + Long.MAX_VALUE
                        + " elements");
            }
        }
        boolean split = row > budget;
        int pa = TileSpace.choosePartitionAxis(shape, n.partitions(), reduced);
        TileSpace ts = TileSpace.plan("", shape, pa, n.partitions(), budget, split ? Set.of() : reduced);
        Set<Integer> kept = new TreeSet<>(ts.all());
        kept.removeAll(reduced);
        return new Rows(n, ts, reduced, kept, row, split);
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
        Set<Integer> all = r.ts().all();
        Set<Integer> kept = r.kept();
        String acc = n.sbuf("acc", ElementType.FP32, r.ts().tileShape(kept));
        fill(r, acc, 0.0, "zero", 0);
        String xSb = n.sbuf("x", n.inType(0), r.ts().tileShape(all));
        loadX(r, xSb, 1);
        n.stmt("sum", StatementKind.VECTOR, Engine.VECTOR, Operation.of(OpCode.SUM_ACC))
                .domain(r.chunkDomain(all), r.chunkTileDims()).schedule(r.chunkTime(1, 1, all))
                .write(acc, r.ts().local(kept)).read(xSb, r.ts().local(all)).read(acc, r.ts().local(kept)).add();
        String y = n.sbuf("y", n.outType(0), r.ts().tileShape(kept));
        n.stmt("mean", StatementKind.SCALAR, Engine.SCALAR, Operation.of(OpCode.SCALE, 1.0 / r.rowLength()))
                .domain(r.rowDomain(kept), r.rowTileDims()).schedule(r.rowTime(2, kept))
                .write(y, r.ts().local(kept)).read(acc, r.ts().local(kept)).add();
        List<Expr> yIdx = new ArrayList<>();
        for (int k = 0; k < x.size(); k++) {
            if (!reduced.contains(k)) {
                yIdx.add(r.ts().axis(k).global());
            } else if (keepDims) {
                yIdx.add(Expr.constant(0));
            }
        }
        n.stmt("store", StatementKind.DMA, Engine.DMA, Operation.of(OpCode.COPY))
                .domain(r.rowDomain(kept), r.rowTileDims()).schedule(r.rowTime(3, kept))
                .write(n.outDram(0), yIdx).read(y, r.ts().local(kept)).add();
    }

    private static void softmax(NodeLowering n) {
        List<Long> x = n.inShape(0);
        long axis = n.intAttr("axis", -1);
        Rows r = rows(n, x, Set.of((int) (axis < 0 ? axis + x.size() : axis)), 5);
        Set<Integer> all = r.ts().all();
        Set<Integer> kept = r.kept();
        String mx = n.sbuf("max", ElementType.FP32, r.ts().tileShape(kept));
        fill(r, mx, Double.NEGATIVE_INFINITY, "max_init", 0);
        String xSb = n.sbuf("x", n.inType(0), r.ts().tileShape(all));
        loadX(r, xSb, 1);
        chunkOp(r, "max", Operation.of(OpCode.MAX_ACC), mx, kept, 1, 1, List.of(xSb, mx), List.of(all, kept));
        String sum = n.sbuf("sum", ElementType.FP32, r.ts().tileShape(kept));
        fill(r, sum, 0.0, "sum_init", 2);
        String e = n.sbuf("exp", ElementType.FP32, r.ts().tileShape(all));
        if (r.split()) {
            loadX(r, xSb, 3);
        }
        chunkOp(r, "exp", Operation.of(OpCode.EXP_SUB), e, all, 3, 1, List.of(xSb, mx), List.of(all, kept));
        chunkOp(r, "sum", Operation.of(OpCode.SUM_ACC), sum, kept, 3, 2, List.of(e, sum), List.of(all, kept));
        if (r.split()) {
            loadX(r, xSb, 4);
            chunkOp(r, "exp", Operation.of(OpCode.EXP_SUB), e, all, 4, 1, List.of(xSb, mx), List.of(all, kept));
        }
        String y = n.sbuf("y", n.outType(0), r.ts().tileShape(all));
        chunkOp(r, "div", Operation.of(OpCode.DIV), y, all, 4, 2, List.of(e, sum), List.of(all, kept));
        storeY(r, y, 4, 3);
    }

    private static void layerNorm(NodeLowering n) {
        List<Long> x = n.inShape(0);
        long axis = n.intAttr("axis", -1);
        int a = (int) (axis < 0 ? axis + x.size() : axis);
        Set<Integer> reduced = new TreeSet<>();
        for (int k = a; k < x.size(); k++) {
            reduced.add(k);
        }
        Rows r = rows(n, x, reduced, 8);
        Set<Integer> all = r.ts().all();
        Set<Integer> kept = r.kept();
        String sum = n.sbuf("sum", ElementType.FP32, r.ts().tileShape(kept));
        fill(r, sum, 0.0, "sum_init", 0);
        String xSb = n.sbuf("x", n.inType(0), r.ts().tileShape(all));
        loadX(r, xSb, 1);
        chunkOp(r, "sum", Operation.of(OpCode.SUM_ACC), sum, kept, 1, 1, List.of(xSb, sum), List.of(all, kept));
        String mean = n.sbuf("mean", ElementType.FP32, r.ts().tileShape(kept));
        rowOp(r, "mean", Operation.of(OpCode.SCALE, 1.0 / r.rowLength()), mean, 2, sum);
        String sq = n.sbuf("sq", ElementType.FP32, r.ts().tileShape(kept));
        fill(r, sq, 0.0, "sq_init", 3);
        if (r.split()) {
            loadX(r, xSb, 4);
        }
        chunkOp(r, "sqdiff", Operation.of(OpCode.SQDIFF_ACC), sq, kept, 4, 1, List.of(xSb, mean, sq),
                List.of(all, kept, kept));
        String var = n.sbuf("var", ElementType.FP32, r.ts().tileShape(kept));
        rowOp(r, "var", Operation.of(OpCode.SCALE, 1.0 / r.rowLength()), var, 5, sq);
        if (r.split()) {
            loadX(r, xSb, 6);
        }
        int[] map = new int[x.size() - a];
        for (int q = 0; q < map.length; q++) {
            map[q] = a + q;
        }
        List<String> reads = new ArrayList<>(List.of(xSb, mean, var));
        List<Set<Integer>> used = new ArrayList<>(List.of(all, kept, kept));
        for (int input = 1; input <= 2; input++) {
            if (n.hasInput(input)) {
                Set<Integer> u = ElementwiseLowering.usedAxes(n.inShape(input), map, x);
                reads.add(loadParameter(r, input, input == 1 ? "scale" : "bias", map, u, 6, input));
                used.add(u);
            }
        }
        String y = n.sbuf("y", n.outType(0), r.ts().tileShape(all));
        chunkOp(r, "normalize", Operation.of(OpCode.LAYER_NORM, n.floatAttr("epsilon", 1e-5)), y, all, 6, 3, reads,
                used);
        storeY(r, y, 6, 4);
    }

    /** {@code x[chunk] ← DMA X[…]} at step 0 of {@code pass}. */
    private static void loadX(Rows r, String xSb, int pass) {
        Set<Integer> all = r.ts().all();
        r.n().stmt("load_x", StatementKind.DMA, Engine.DMA, Operation.of(OpCode.COPY))
                .domain(r.chunkDomain(all), r.chunkTileDims()).schedule(r.chunkTime(pass, 0, all))
                .write(xSb, r.ts().local(all)).read(r.n().inDram(0), r.ts().global()).add();
    }

    /**
     * Loads LayerNorm's scale or bias (input {@code input}, whose axis q is the tile's axis
     * {@code map[q]}, varying along {@code used}) for the current chunk, replicated across
     * partitions.
     */
    private static String loadParameter(Rows r, int input, String suffix, int[] map, Set<Integer> used, int pass,
            int step) {
        TileSpace ts = r.ts();
        String buf = r.n().sbuf(suffix, r.n().inType(input), ts.tileShape(used));
        Set<Integer> intra = new TreeSet<>(used);
        if (ts.partitionAxis() >= 0) {
            intra.add(ts.partitionAxis());
        }
        List<Expr> src = new ArrayList<>();
        for (int k : map) {
            src.add(used.contains(k) ? ts.axis(k).global() : Expr.constant(0));
        }
        r.n().stmt("load_" + suffix, StatementKind.DMA, Engine.DMA, Operation.of(OpCode.COPY))
                .domain(r.chunkDomain(intra), r.chunkTileDims()).schedule(r.chunkTime(pass, step, intra))
                .write(buf, ts.local(used)).read(r.n().inDram(input), src).add();
        return buf;
    }

    private static void storeY(Rows r, String y, int pass, int step) {
        Set<Integer> all = r.ts().all();
        r.n().stmt("store", StatementKind.DMA, Engine.DMA, Operation.of(OpCode.COPY))
                .domain(r.chunkDomain(all), r.chunkTileDims()).schedule(r.chunkTime(pass, step, all))
                .write(r.n().outDram(0), r.ts().global()).read(y, r.ts().local(all)).add();
    }

    /** {@code buf ← value} over the kept axes, once per row tile. */
    private static void fill(Rows r, String buf, double value, String suffix, int pass) {
        Set<Integer> kept = r.kept();
        r.n().stmt(suffix, StatementKind.VECTOR, Engine.VECTOR, Operation.of(OpCode.FILL, value))
                .domain(r.rowDomain(kept), r.rowTileDims()).schedule(r.rowTime(pass, kept))
                .write(buf, r.ts().local(kept)).add();
    }

    /** A per-row statement over the kept axes: {@code out ← op(in)}. */
    private static void rowOp(Rows r, String suffix, Operation op, String out, int pass, String in) {
        Set<Integer> kept = r.kept();
        r.n().stmt(suffix, StatementKind.SCALAR, Engine.SCALAR, op)
                .domain(r.rowDomain(kept), r.rowTileDims()).schedule(r.rowTime(pass, kept))
                .write(out, r.ts().local(kept)).read(in, r.ts().local(kept)).add();
    }

    /**
     * A per-chunk statement over every axis writing {@code out} (indexed by its axes {@code outAxes});
     * read {@code i} is indexed by the axes {@code readAxes[i]}.
     */
    private static void chunkOp(Rows r, String suffix, Operation op, String out, Set<Integer> outAxes, int pass,
            int step, List<String> reads, List<Set<Integer>> readAxes) {
        boolean scalar = op.code() == OpCode.EXP_SUB;
        Set<Integer> all = r.ts().all();
        NodeLowering.StatementBuilder b = r.n().stmt(suffix, scalar ? StatementKind.SCALAR : StatementKind.VECTOR,
                        scalar ? Engine.SCALAR : Engine.VECTOR, op)
                .domain(r.chunkDomain(all), r.chunkTileDims()).schedule(r.chunkTime(pass, step, all))
                .write(out, r.ts().local(outAxes));
        for (int i = 0; i < reads.size(); i++) {
            b.read(reads.get(i), r.ts().local(readAxes.get(i)));
        }
        b.add();
    }
}
