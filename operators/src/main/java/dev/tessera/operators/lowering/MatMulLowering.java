package dev.tessera.operators.lowering;

import java.util.ArrayList;
import java.util.List;

/**
 * MatMul (numpy batching and broadcasting, rank-1 operands) and Gemm ({@code transA}, {@code transB},
 * {@code alpha}, {@code beta}, bias C) on the tensor engine. One matmul computes
 * {@code psum[m][n] += Σ_k a[k][m] · b[k][n]} with K on the partitions (≤ max contraction), M ≤ max
 * stationary free, N ≤ max moving free and within one PSUM bank:
 *
 * <pre>
 * for b…, tm, tn:                      psum ← 0
 *   for tk:  a[k, m] ← DMA A[b, M(tm,m), K(tk,k)]      (transposed load: contraction on partitions)
 *            b[k, n] ← DMA B[b, K(tk,k), N(tn,n)]
 *            psum[m, n] += a[k, m] · b[k, n]          (matmul)
 *   (Gemm with C: c[m, n] ← DMA C[…])
 *   y[m, n] ← evict psum[m, n]  (· alpha + beta · c)
 *   Y[b, M, N] ← DMA y[m, n]
 * </pre>
 */
final class MatMulLowering {
    private MatMulLowering() {}

    static void lower(NodeLowering n) {
        boolean gemm = n.node().opType().equals("Gemm");
        List<Long> a = n.inShape(0);
        List<Long> b = n.inShape(1);
        List<Long> y = n.outShape(0);
        boolean transA = gemm && n.intAttr("transA", 0) == 1;
        boolean transB = gemm && n.intAttr("transB", 0) == 1;
        boolean vectorA = a.size() == 1;
        boolean vectorB = b.size() == 1;
        long m = vectorA ? 1 : transA ? a.get(a.size() - 1) : a.get(a.size() - 2);
        long k = vectorA ? a.get(0) : transA ? a.get(a.size() - 2) : a.get(a.size() - 1);
        long nn = vectorB ? 1 : transB ? b.get(b.size() - 2) : b.get(b.size() - 1);
        int batchRank = y.size() - (vectorA ? 0 : 1) - (vectorB ? 0 : 1);
        var spec = n.program().spec();
        long bankElements = spec.psumBankBytes() / ElementType.FP32.bytes();
        TiledAxis am = TiledAxis.of("m", m, spec.maxStationaryFree());
        TiledAxis an = TiledAxis.of("n", nn, Math.min(spec.maxMovingFree(), bankElements));
        TiledAxis ak = TiledAxis.of("k", k, spec.maxContraction());
        List<TiledAxis> batch = new ArrayList<>();
        for (int i = 0; i < batchRank; i++) {
            batch.add(new TiledAxis("b" + i, "bi" + i, y.get(i), 1));
        }
        List<Iterator> outer = new ArrayList<>();
        for (TiledAxis t : batch) {
            if (t.hasTile()) {
                outer.add(t.tileIterator());
            }
        }
        addTile(outer, am);
        addTile(outer, an);
        List<Iterator> withK = new ArrayList<>(outer);
        addTile(withK, ak);

        String aSb = n.sbuf("a", n.inType(0), List.of(ak.chunk(), am.chunk()));
        String bSb = n.sbuf("b", n.inType(1), List.of(ak.chunk(), an.chunk()));
        String ps = n.psum("acc", List.of(am.chunk(), an.chunk()));
        String ySb = n.sbuf("y", n.outType(0), List.of(am.chunk(), an.chunk()));
        List<Expr> mn = List.of(am.local(), an.local());

        Domain tileMN = domain(outer, List.of(am, an));
        n.stmt("zero", StatementKind.VECTOR, Engine.VECTOR, Operation.of(OpCode.FILL, 0))
                .domain(tileMN, outer.size()).schedule(n.time(outer, 0, 0, 0, intra(am, an)))
                .write(ps, mn).add();

        List<Expr> aIdx = new ArrayList<>(batchIndex(batch, a, batchRank, vectorA));
        if (!vectorA) {
            aIdx.add(transA ? ak.global() : am.global());
        }
        aIdx.add(vectorA || !transA ? ak.global() : am.global());
        n.stmt("load_a", StatementKind.DMA, Engine.DMA, Operation.of(OpCode.COPY))
                .domain(domain(withK, List.of(ak, am)), withK.size())
                .schedule(n.time(outer, 1, ak.tile(), 0, intra(ak, am)))
                .write(aSb, List.of(ak.local(), am.local())).read(n.inDram(0), aIdx).add();

        List<Expr> bIdx = new ArrayList<>(batchIndex(batch, b, batchRank, vectorB));
        bIdx.add(transB ? an.global() : ak.global());
        if (!vectorB) {
            bIdx.add(transB ? ak.global() : an.global());
        }
        n.stmt("load_b", StatementKind.DMA, Engine.DMA, Operation.of(OpCode.COPY))
                .domain(domain(withK, List.of(ak, an)), withK.size())
                .schedule(n.time(outer, 1, ak.tile(), 1, intra(ak, an)))
                .write(bSb, List.of(ak.local(), an.local())).read(n.inDram(1), bIdx).add();

        n.stmt("mm", StatementKind.MATMUL, Engine.TENSOR, Operation.of(OpCode.MAC))
                .domain(domain(withK, List.of(am, an, ak)), withK.size())
                .schedule(n.time(outer, 1, ak.tile(), 2, intra(am, an, ak)))
                .write(ps, mn).read(aSb, List.of(ak.local(), am.local())).read(bSb, List.of(ak.local(), an.local()))
                .read(ps, mn).add();

        Operation evict = Operation.of(OpCode.COPY);
        String cSb = null;
        if (gemm) {
            double alpha = n.floatAttr("alpha", 1.0);
            double beta = n.floatAttr("beta", 1.0);
            boolean bias = n.hasInput(2);
            if (alpha != 1.0 || bias) {
                evict = Operation.of(OpCode.GEMM_EPILOGUE, alpha, bias ? beta : 0.0);
            }
            if (bias) {
                List<Long> c = n.inShape(2);
                cSb = n.sbuf("c", n.inType(2), List.of(am.chunk(), an.chunk()));
                List<Expr> cIdx = new ArrayList<>();
                List<TiledAxis> yAxes = List.of(am, an);
                for (int q = 0; q < c.size(); q++) {
                    int axis = q + 2 - c.size();
                    cIdx.add(c.get(q) == 1 ? Expr.constant(0) : yAxes.get(axis).global());
                }
                n.stmt("load_c", StatementKind.DMA, Engine.DMA, Operation.of(OpCode.COPY))
                        .domain(tileMN, outer.size()).schedule(n.time(outer, 2, 0, 0, intra(am, an)))
                        .write(cSb, mn).read(n.inDram(2), cIdx).add();
            }
        }
        NodeLowering.StatementBuilder ev = n.stmt("evict", StatementKind.VECTOR, Engine.VECTOR, evict)
                .domain(tileMN, outer.size()).schedule(n.time(outer, 3, 0, 0, intra(am, an)))
                .write(ySb, mn).read(ps, mn);
        if (cSb != null) {
            ev.read(cSb, mn);
        }
        ev.add();

        List<Expr> yIdx = new ArrayList<>();
        for (TiledAxis t : batch) {
            yIdx.add(t.global());
        }
        if (!vectorA) {
            yIdx.add(am.global());
        }
        if (!vectorB) {
            yIdx.add(an.global());
        }
        n.stmt("store", StatementKind.DMA, Engine.DMA, Operation.of(OpCode.COPY))
                .domain(tileMN, outer.size()).schedule(n.time(outer, 4, 0, 0, intra(am, an)))
                .write(n.outDram(0), yIdx).read(ySb, mn).add();
    }

    /** Batch indices of an operand of shape {@code shape}: right-aligned to the output's, 0 where it broadcasts. */
    private static List<Expr> batchIndex(List<TiledAxis> batch, List<Long> shape, int batchRank, boolean vector) {
        List<Expr> out = new ArrayList<>();
        if (vector) {
            return out;
        }
        int operandBatch = shape.size() - 2;
        for (int q = 0; q < operandBatch; q++) {
            int axis = q + batchRank - operandBatch;
            out.add(shape.get(q) == 1 ? Expr.constant(0) : batch.get(axis).global());
        }
        return out;
    }

    static void addTile(List<Iterator> its, TiledAxis t) {
        if (t.hasTile()) {
            its.add(t.tileIterator());
        }
    }

    static List<Iterator> intra(TiledAxis... axes) {
        List<Iterator> out = new ArrayList<>();
        for (TiledAxis t : axes) {
            if (t.hasIntra()) {
                out.add(t.intraIterator());
            }
        }
        return out;
    }

    /** Outer iterators, then the in-tile iterators and boundaries of {@code axes}. */
    static Domain domain(List<Iterator> outer, List<TiledAxis> axes) {
        List<Iterator> its = new ArrayList<>(outer);
        List<Constraint> cs = new ArrayList<>();
        for (TiledAxis t : axes) {
            if (t.hasIntra()) {
                its.add(t.intraIterator());
            }
            cs.addAll(t.boundary());
        }
        return new Domain(its, cs);
    }
}
