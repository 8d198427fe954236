package dev.tessera.operators.reference;

import dev.tessera.operators.InvalidModelException;
import dev.tessera.operators.graph.Node;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/** Element-wise ops: one value in, one out, or numpy broadcasting over two or more inputs. */
final class Elementwise {
    private Elementwise() {}

    static FloatTensor unary(Node node, FloatTensor x) {
        DoubleUnaryOperator f = switch (node.opType()) {
            case "Relu" -> v -> Math.max(0, v);
            case "LeakyRelu" -> {
                double alpha = Attrs.real(node, "alpha", 0.01);
                yield v -> v >= 0 ? v : alpha * v;
            }
            case "Sigmoid" -> v -> 1 / (1 + Math.exp(-v));
            case "HardSigmoid" -> {
                double alpha = Attrs.real(node, "alpha", 0.2);
                double beta = Attrs.real(node, "beta", 0.5);
                yield v -> Math.max(0, Math.min(1, alpha * v + beta));
            }
            case "HardSwish" -> v -> v * Math.max(0, Math.min(1, v / 6 + 0.5));
            case "Tanh" -> Math::tanh;
            case "Erf" -> Elementwise::erf;
            case "Sqrt" -> Math::sqrt;
            case "Clip" -> {
                double lo = Attrs.real(node, "min", Double.NEGATIVE_INFINITY);
                double hi = Attrs.real(node, "max", Double.POSITIVE_INFINITY);
                yield v -> Math.min(hi, Math.max(lo, v));
            }
            case "Identity" -> v -> v;
            case "Cast" -> cast(node, Attrs.integer(node, "to", 1));
            default -> throw new IllegalArgumentException("not a unary op: " + node.opType());
        };
        float[] in = x.values();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = (float) f.applyAsDouble(in[i]);
        }
        return FloatTensor.of(x.dims(), out);
    }

    /** Integer division of integer tensors: the float quotient truncated toward zero. */
    static FloatTensor truncate(FloatTensor x) {
        float[] in = x.values();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = (float) (long) in[i];
        }
        return FloatTensor.of(x.dims(), out);
    }

    /**
     * Cast as seen by an fp32 interpreter: to integers truncates toward zero, to bool tests non-zero,
     * to float16 rounds to the nearest value (ties to even), to bfloat16 truncates; NaN to an integer
     * type is 0 (Java's {@code (long) NaN}), as the loop interpreter stores it. A target code
     * outside the int range is no ONNX element type and is rejected rather than truncated.
     */
    private static DoubleUnaryOperator cast(Node node, long to) {
        if (to != (int) to) {
            throw new InvalidModelException("Cast node '" + node.name() + "': attribute 'to' = " + to
                    + " is outside the int range of ONNX element-type codes");
        }
        return switch ((int) to) {
            case 10 -> v -> roundToHalf((float) v);
            case 16 -> v -> toBfloat16((float) v);
            case 9 -> v -> v != 0 ? 1 : 0;
            case 2, 3, 4, 5, 6, 7, 12, 13 -> v -> (double) (long) v;
            default -> v -> v;
        };
    }

    /** The float16 value nearest to {@code f} (ties to even), as a float; beyond ±65504 rounds to ±∞. */
    static float roundToHalf(float f) {
        if (Float.isNaN(f) || Float.isInfinite(f)) {
            return f;
        }
        float a = Math.abs(f);
        if (a >= 65520f) {
            return Math.copySign(Float.POSITIVE_INFINITY, f);
        }
        if (a < 0x1p-14f) {
            // subnormal float16: multiples of 2^-24
            return Math.copySign((float) (Math.rint(a * 0x1p24) * 0x1p-24), f);
        }
        int bits = Float.floatToIntBits(a);
        int lsb = (bits >> 13) & 1;
        bits = (bits + 0xfff + lsb) & ~0x1fff;
        return Math.copySign(Float.intBitsToFloat(bits), f);
    }

    /**
     * {@code f} as bfloat16, by dropping the low 16 bits of the float (truncation, as the ONNX
     * reference implementation converts), as a float.
     */
    static float toBfloat16(float f) {
        if (Float.isNaN(f)) {
            return f;
        }
        return Float.intBitsToFloat(Float.floatToIntBits(f) & 0xffff0000);
    }

    /**
     * erf(x) = 2/√π · e^(−x²) · Σₙ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)), a series of positive terms (no
     * cancellation), accurate to double precision; |x| ≥ 6 gives ±1 (1 − erf(6) ≈ 2·10⁻¹⁷).
     * Example: erf(0.5) = 0.5204998778.
     */
    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double a = Math.abs(x);
        if (a >= 6) {
            return Math.signum(x);
        }
        double term = a;
        double sum = a;
        double twoXSquared = 2 * a * a;
        for (int n = 1; term > 1e-17 * sum; n++) {
            term *= twoXSquared / (2 * n + 1);
            sum += term;
        }
        double r = 2 / Math.sqrt(Math.PI) * Math.exp(-a * a) * sum;
        return x < 0 ? -r : r;
    }

    static FloatTensor broadcast(Node node, List<FloatTensor> inputs, int[] outShape) {
        DoubleBinaryOperator f = switch (node.opType()) {
            case "Add" -> Double::sum;
            case "Sub" -> (a, b) -> a - b;
            case "Mul" -> (a, b) -> a * b;
            case "Div" -> (a, b) -> a / b;
            case "Pow" -> Math::pow;
            case "Max" -> Math::max;
            case "Min" -> Math::min;
            default -> throw new IllegalArgumentException("not a broadcasting op: " + node.opType());
        };
        FloatTensor acc = inputs.get(0);
        if (inputs.size() == 1) {
            return FloatTensor.of(outShape, broadcastTo(acc, outShape));
        }
        for (int k = 1; k < inputs.size(); k++) {
            acc = binary(acc, inputs.get(k), outShape, f);
        }
        return acc;
    }

    /** The values of {@code a} broadcast to {@code outShape}. */
    static float[] broadcastTo(FloatTensor a, int[] outShape) {
        return binary(a, FloatTensor.of(new int[0], new float[] {0}), outShape, (x, y) -> x).values();
    }

    /** out[i] = f(a[i'], b[i'']) where i' and i'' are i read through the broadcast strides. */
    static FloatTensor binary(FloatTensor a, FloatTensor b, int[] outShape, DoubleBinaryOperator f) {
        int rank = outShape.length;
        int n = Indexing.product(outShape, 0, rank);
        int[] sa = Indexing.broadcastStrides(a.dims(), outShape);
        int[] sb = Indexing.broadcastStrides(b.dims(), outShape);
        float[] av = a.values();
        float[] bv = b.values();
        float[] out = new float[n];
        int[] idx = new int[rank];
        int oa = 0;
        int ob = 0;
        for (int i = 0; i < n; i++) {
            out[i] = (float) f.applyAsDouble(av[oa], bv[ob]);
            for (int d = rank - 1; d >= 0; d--) {
                idx[d]++;
                oa += sa[d];
                ob += sb[d];
                if (idx[d] < outShape[d]) {
                    break;
                }
                oa -= sa[d] * outShape[d];
                ob -= sb[d] * outShape[d];
                idx[d] = 0;
            }
        }
        return FloatTensor.of(outShape, out);
    }
}
