package dev.tessera.operators.graph;

import java.util.ArrayList;
import java.util.List;

/** Shape rules of Gemm and MatMul. */
final class MatrixShapes {
    private MatrixShapes() {}

    /**
     * Gemm: {@code Y = alpha * A' * B' + beta * C} with A' = A [M, K] (or its transpose under
     * {@code transA}), B' = B [K, N] (or its transpose under {@code transB}); C broadcasts to [M, N].
     * Example: A [1, 2048], B [1000, 2048] with transB = 1, C [1000] give Y [1, 1000].
     */
    static List<TensorType> gemm(OpContext c) {
        c.requireRank(0, 2);
        c.requireRank(1, 2);
        ElementwiseShapes.sameDType(c, 0, 1);
        boolean transA = c.inRange("transA", c.intAttr("transA", 0), 0, 1) == 1;
        boolean transB = c.inRange("transB", c.intAttr("transB", 0), 0, 1) == 1;
        c.floatAttr("alpha", 1.0);
        c.floatAttr("beta", 1.0);
        List<Long> a = c.shape(0);
        List<Long> b = c.shape(1);
        long m = transA ? a.get(1) : a.get(0);
        long ka = transA ? a.get(0) : a.get(1);
        long kb = transB ? b.get(1) : b.get(0);
        long n = transB ? b.get(0) : b.get(1);
        if (ka != kb) {
            throw c.fail("inner dimensions differ: A " + a + (transA ? " (transposed)" : "") + " has K = " + ka
                    + " but B " + b + (transB ? " (transposed)" : "") + " has K = " + kb);
        }
        List<Long> y = List.of(m, n);
        if (c.hasInput(2)) {
            ElementwiseShapes.sameDType(c, 0, 2);
            List<Long> bias = c.shape(2);
            if (bias.size() > 2 || !y.equals(Broadcast.shapes(y, bias))) {
                throw c.fail("bias C " + bias + " does not broadcast to the output shape " + y);
            }
        }
        return List.of(new TensorType(y, c.dtype(0)));
    }

    /**
     * MatMul with numpy semantics: the last two dimensions multiply ([.., M, K] x [.., K, N] gives
     * [.., M, N]); leading (batch) dimensions broadcast; a rank-1 operand is promoted by
     * prepending (A) or appending (B) a 1 that is removed from the result.
     * Example: [1, 12, 128, 64] x [1, 12, 64, 128] gives [1, 12, 128, 128].
     */
    static List<TensorType> matMul(OpContext c) {
        c.requireMinRank(0, 1);
        c.requireMinRank(1, 1);
        ElementwiseShapes.sameDType(c, 0, 1);
        List<Long> a = c.shape(0);
        List<Long> b = c.shape(1);
        boolean vectorA = a.size() == 1;
        boolean vectorB = b.size() == 1;
        List<Long> a2 = vectorA ? List.of(1L, a.get(0)) : a;
        List<Long> b2 = vectorB ? List.of(b.get(0), 1L) : b;
        long ka = a2.get(a2.size() - 1);
        long kb = b2.get(b2.size() - 2);
        if (ka != kb) {
            throw c.fail("inner dimensions differ: A " + a + " has K = " + ka + " but B " + b + " has K = " + kb);
        }
        List<Long> batch = Broadcast.shapes(a2.subList(0, a2.size() - 2), b2.subList(0, b2.size() - 2));
        if (batch == null) {
            throw c.fail("batch dimensions of A " + a + " and B " + b + " do not broadcast");
        }
        List<Long> y = new ArrayList<>(batch);
        if (!vectorA) {
            y.add(a2.get(a2.size() - 2));
        }
        if (!vectorB) {
            y.add(b2.get(b2.size() - 1));
        }
        return List.of(new TensorType(y, c.dtype(0)));
    }
}
