package dev.tessera.operators.graph;

import java.util.List;

/** Shape rules of element-wise ops: unary ops keep their input's type; n-ary ops broadcast. */
final class ElementwiseShapes {
    private ElementwiseShapes() {}

    /** Relu, Sigmoid, Tanh, Erf, Sqrt, …: the output has the input's shape and dtype. */
    static List<TensorType> unary(OpContext c) {
        return List.of(c.input(0));
    }

    /**
     * Cast: the input's shape in the dtype of ONNX element-type code {@code to} (required; see
     * {@link DType#fromOnnxCode}); {@code saturate} (float8 targets only in ONNX) must be 0 or 1.
     */
    static List<TensorType> cast(OpContext c) {
        long to = c.requiredInt("to");
        c.inRange("saturate", c.intAttr("saturate", 1), 0, 1);
        DType target = DType.fromOnnxCode(to);
        if (target == null) {
            throw c.fail("attribute 'to' = " + to + " is not a supported element type (float32 1, float16 10,"
                    + " bfloat16 16, int64 7, int32 6, int16 5, uint16 4, uint32 12, int8 3, uint8 2, bool 9)");
        }
        return List.of(new TensorType(c.shape(0), target));
    }

    /** LeakyRelu: {@code alpha} (default 0.01) must be finite. */
    static List<TensorType> leakyRelu(OpContext c) {
        requireFinite(c, "alpha", c.floatAttr("alpha", 0.01));
        return unary(c);
    }

    /** HardSigmoid: {@code max(0, min(1, alpha*x + beta))}, alpha default 0.2, beta 0.5. */
    static List<TensorType> hardSigmoid(OpContext c) {
        requireFinite(c, "alpha", c.floatAttr("alpha", 0.2));
        requireFinite(c, "beta", c.floatAttr("beta", 0.5));
        return unary(c);
    }

    /** Gelu: {@code approximate} is "none" (erf form) or "tanh". */
    static List<TensorType> gelu(OpContext c) {
        c.choice("approximate", "none", "tanh");
        return unary(c);
    }

    /** Clip: the bounds {@code min} and {@code max} (attributes here) must satisfy min <= max. */
    static List<TensorType> clip(OpContext c) {
        double min = c.floatAttr("min", Double.NEGATIVE_INFINITY);
        double max = c.floatAttr("max", Double.POSITIVE_INFINITY);
        if (Double.isNaN(min) || Double.isNaN(max) || min > max) {
            throw c.fail("attribute 'min' = " + min + " must not exceed attribute 'max' = " + max);
        }
        return unary(c);
    }

    /**
     * Add, Sub, Mul, Div, Pow, Max, Min: numpy broadcasting of all inputs, which must share a dtype
     * (Pow's exponent excepted, as in ONNX).
     */
    static List<TensorType> broadcast(OpContext c) {
        boolean exponentMayDiffer = c.node().opType().equals("Pow");
        List<Long> shape = c.shape(0);
        for (int i = 1; i < c.inputCount(); i++) {
            if (!exponentMayDiffer) {
                sameDType(c, 0, i);
            }
            List<Long> next = Broadcast.shapes(shape, c.shape(i));
            if (next == null) {
                throw c.fail("cannot broadcast shapes " + shape + " and " + c.shape(i) + " (input " + i + " '"
                        + c.node().inputs().get(i) + "')");
            }
            shape = next;
        }
        return List.of(new TensorType(shape, c.dtype(0)));
    }

    static void sameDType(OpContext c, int a, int b) {
        if (c.dtype(a) != c.dtype(b)) {
            throw c.fail("dtype mismatch: input " + a + " ('" + c.node().inputs().get(a) + "') is "
                    + c.dtype(a).text() + " but input " + b + " ('" + c.node().inputs().get(b) + "') is "
                    + c.dtype(b).text());
        }
    }

    static void requireFloatingPoint(OpContext c, int input) {
        if (!c.dtype(input).isFloatingPoint()) {
            throw c.fail("input " + input + " ('" + c.node().inputs().get(input) + "') is " + c.dtype(input).text()
                    + ", expected a floating-point dtype");
        }
    }

    private static void requireFinite(OpContext c, String name, double value) {
        if (!Double.isFinite(value)) {
            throw c.fail("attribute '" + name + "' = " + value + " must be finite");
        }
    }
}
