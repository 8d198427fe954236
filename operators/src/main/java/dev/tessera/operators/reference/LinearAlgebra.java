package dev.tessera.operators.reference;

import dev.tessera.operators.graph.Node;

/** Gemm and MatMul, accumulated in double. */
final class LinearAlgebra {
    private LinearAlgebra() {}

    /** Y = alpha · op(A) · op(B) + beta · C, op transposing when transA / transB is set; C broadcasts. */
    static FloatTensor gemm(Node node, FloatTensor a, FloatTensor b, FloatTensor c, int[] outShape) {
        boolean ta = Attrs.integer(node, "transA", 0) != 0;
        boolean tb = Attrs.integer(node, "transB", 0) != 0;
        double alpha = Attrs.real(node, "alpha", 1);
        double beta = Attrs.real(node, "beta", 1);
        int m = outShape[0];
        int n = outShape[1];
        int k = ta ? a.dim(0) : a.dim(1);
        float[] av = a.values();
        float[] bv = b.values();
        float[] out = new float[m * n];
        float[] cv = c == null ? null : Elementwise.broadcastTo(c, outShape);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int p = 0; p < k; p++) {
                    acc += (double) av[ta ? p * m + i : i * k + p] * bv[tb ? j * k + p : p * n + j];
                }
                out[i * n + j] = (float) (alpha * acc + (cv == null ? 0 : beta * cv[i * n + j]));
            }
        }
        return FloatTensor.of(outShape, out);
    }

    /**
     * Numpy matmul: the last two axes multiply, the leading ones broadcast; a 1-D operand is a row
     * (left) or column (right) vector whose added axis is dropped from the result.
     */
    static FloatTensor matMul(FloatTensor a, FloatTensor b, int[] outShape) {
        int[] ad = a.rank() == 1 ? new int[] {1, a.dim(0)} : a.dims();
        int[] bd = b.rank() == 1 ? new int[] {b.dim(0), 1} : b.dims();
        int m = ad[ad.length - 2];
        int k = ad[ad.length - 1];
        int n = bd[bd.length - 1];
        int batchRank = Math.max(ad.length, bd.length) - 2;
        int[] batch = new int[batchRank];
        for (int i = 0; i < batchRank; i++) {
            int da = dimFromRight(ad, 2 + batchRank - i);
            int db = dimFromRight(bd, 2 + batchRank - i);
            batch[i] = Math.max(da, db);
        }
        int[] aBatch = java.util.Arrays.copyOf(ad, ad.length - 2);
        int[] bBatch = java.util.Arrays.copyOf(bd, bd.length - 2);
        int[] sa = Indexing.broadcastStrides(aBatch, batch);
        int[] sb = Indexing.broadcastStrides(bBatch, batch);
        int batches = Indexing.product(batch, 0, batchRank);
        float[] av = a.values();
        float[] bv = b.values();
        float[] out = new float[batches * m * n];
        int[] idx = new int[batchRank];
        for (int t = 0; t < batches; t++) {
            int offA = 0;
            int offB = 0;
            for (int d = 0; d < batchRank; d++) {
                offA += idx[d] * sa[d];
                offB += idx[d] * sb[d];
            }
            offA *= m * k;
            offB *= k * n;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double acc = 0;
                    for (int p = 0; p < k; p++) {
                        acc += (double) av[offA + i * k + p] * bv[offB + p * n + j];
                    }
                    out[(t * m + i) * n + j] = (float) acc;
                }
            }
            Indexing.next(idx, batch);
        }
        return FloatTensor.of(outShape, out);
    }

    private static int dimFromRight(int[] shape, int fromRight) {
        int i = shape.length - fromRight;
        return i < 0 ? 1 : shape[i];
    }
}
