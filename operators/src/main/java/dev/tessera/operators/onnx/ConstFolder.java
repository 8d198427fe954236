package dev.tessera.operators.onnx;

import dev.tessera.operators.graph.Attribute;
import dev.tessera.operators.graph.DType;
import dev.tessera.operators.graph.Node;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * Evaluates a canonical node ({@link OpConverter#FOLDABLE}) whose inputs are all known constants:
 * the shape arithmetic exporters emit (Shape → Gather → Unsqueeze → Concat → Reshape, say) so that
 * the importer ends with concrete shapes and no shape computations left in the graph. Integer
 * arithmetic is exact in {@code long}; floating-point results are rounded to float32.
 */
final class ConstFolder {
    private ConstFolder() {}

    /**
     * @param node       the canonical node
     * @param inputs     the values of its inputs, in order
     * @param outDtype   the output's element type (from shape inference)
     * @param outShape   the output's shape (from shape inference)
     */
    static ConstTensor fold(Node node, List<ConstTensor> inputs, DType outDtype, List<Long> outShape) {
        ConstTensor x = inputs.get(0);
        return switch (node.opType()) {
            case "Identity", "Reshape", "Flatten", "Squeeze", "Unsqueeze" -> withShape(x, outShape);
            case "Cast" -> cast(x, outDtype);
            case "Transpose" -> transpose(x, ints(node, "perm"), outShape);
            case "Concat" -> concat(inputs, (int) integer(node, "axis"), outShape);
            case "Gather" -> gather(x, inputs.get(1), (int) integer(node, "axis"), outShape);
            case "Slice" -> slice(x, ints(node, "starts"), ints(node, "steps"), outShape);
            case "Add", "Sub", "Mul", "Div", "Max", "Min" -> broadcast(node.opType(), inputs, outShape);
            default -> throw new IllegalStateException("not foldable: " + node.opType());
        };
    }

    private static long[] ints(Node node, String attr) {
        return ((Attribute.Ints) node.attributes().get(attr)).values().stream().mapToLong(Long::longValue).toArray();
    }

    private static long integer(Node node, String attr) {
        return ((Attribute.Int) node.attributes().get(attr)).value();
    }

    private static ConstTensor withShape(ConstTensor x, List<Long> shape) {
        return new ConstTensor(x.dtype(), shape, x.ints(), x.reals());
    }

    private static ConstTensor cast(ConstTensor x, DType to) {
        if (to.isFloatingPoint()) {
            double[] d = x.asDoubles();
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) d[i];
            }
            return ConstTensor.ofReals(to, x.shape(), d);
        }
        long[] v = x.asLongs();
        if (to == DType.BOOL) {
            for (int i = 0; i < v.length; i++) {
                v[i] = x.realAt(i) != 0 ? 1 : 0;
            }
        }
        return ConstTensor.ofInts(to, x.shape(), v);
    }

    /** A tensor of {@code shape} whose element i is element {@code source(i)} of {@code x}. */
    private static ConstTensor mapped(ConstTensor x, List<Long> shape, IntUnaryOperator source) {
        int n = Math.toIntExact(Shapes.elements(shape));
        if (x.isInteger()) {
            long[] out = new long[n];
            for (int i = 0; i < n; i++) {
                out[i] = x.ints()[source.applyAsInt(i)];
            }
            return ConstTensor.ofInts(x.dtype(), shape, out);
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = x.reals()[source.applyAsInt(i)];
        }
        return ConstTensor.ofReals(x.dtype(), shape, out);
    }

    /** The multi-index of flat index {@code flat} in a tensor with the given strides. */
    private static long[] unravel(long flat, long[] strides) {
        long[] idx = new long[strides.length];
        for (int d = 0; d < strides.length; d++) {
            idx[d] = flat / strides[d];
            flat %= strides[d];
        }
        return idx;
    }

    private static ConstTensor transpose(ConstTensor x, long[] perm, List<Long> outShape) {
        long[] inStrides = Shapes.strides(x.shape());
        long[] outStrides = Shapes.strides(outShape);
        return mapped(x, outShape, i -> {
            long[] idx = unravel(i, outStrides);
            long src = 0;
            for (int d = 0; d < perm.length; d++) {
                src += idx[d] * inStrides[(int) perm[d]];
            }
            return (int) src;
        });
    }

    private static ConstTensor slice(ConstTensor x, long[] starts, long[] steps, List<Long> outShape) {
        long[] inStrides = Shapes.strides(x.shape());
        long[] outStrides = Shapes.strides(outShape);
        return mapped(x, outShape, i -> {
            long[] idx = unravel(i, outStrides);
            long src = 0;
            for (int d = 0; d < idx.length; d++) {
                src += (starts[d] + idx[d] * steps[d]) * inStrides[d];
            }
            return (int) src;
        });
    }

    private static ConstTensor gather(ConstTensor data, ConstTensor indices, int axis, List<Long> outShape) {
        long[] dataStrides = Shapes.strides(data.shape());
        long[] outStrides = Shapes.strides(outShape);
        long dim = data.shape().get(axis);
        int indexRank = indices.shape().size();
        long[] indexStrides = Shapes.strides(indices.shape());
        return mapped(data, outShape, i -> {
            long[] idx = unravel(i, outStrides);
            long src = 0;
            for (int d = 0; d < axis; d++) {
                src += idx[d] * dataStrides[d];
            }
            long flatIndex = 0;
            for (int d = 0; d < indexRank; d++) {
                flatIndex += idx[axis + d] * indexStrides[d];
            }
            long k = indices.intAt((int) flatIndex);
            src += (k < 0 ? k + dim : k) * dataStrides[axis];
            for (int d = axis + 1; d < dataStrides.length; d++) {
                src += idx[d - 1 + indexRank] * dataStrides[d];
            }
            return (int) src;
        });
    }

    private static ConstTensor concat(List<ConstTensor> inputs, int axis, List<Long> outShape) {
        long outer = Shapes.elements(outShape.subList(0, axis));
        boolean integer = inputs.get(0).isInteger();
        int n = Math.toIntExact(Shapes.elements(outShape));
        long[] ints = integer ? new long[n] : null;
        double[] reals = integer ? null : new double[n];
        int pos = 0;
        for (long o = 0; o < outer; o++) {
            for (ConstTensor t : inputs) {
                int block = Math.toIntExact(Shapes.elements(t.shape().subList(axis, t.shape().size())));
                for (int j = 0; j < block; j++) {
                    int src = (int) (o * block + j);
                    if (integer) {
                        ints[pos++] = t.intAt(src);
                    } else {
                        reals[pos++] = t.realAt(src);
                    }
                }
            }
        }
        return new ConstTensor(inputs.get(0).dtype(), outShape, ints, reals);
    }

    private static int broadcastSource(long[] outIndex, List<Long> inShape) {
        int offset = outIndex.length - inShape.size();
        long[] inStrides = Shapes.strides(inShape);
        long src = 0;
        for (int d = 0; d < inShape.size(); d++) {
            src += (inShape.get(d) == 1 ? 0 : outIndex[d + offset]) * inStrides[d];
        }
        return (int) src;
    }

    private static ConstTensor broadcast(String op, List<ConstTensor> inputs, List<Long> outShape) {
        long[] outStrides = Shapes.strides(outShape);
        int n = Math.toIntExact(Shapes.elements(outShape));
        ConstTensor acc = inputs.get(0);
        for (int k = 1; k < inputs.size(); k++) {
            ConstTensor b = inputs.get(k);
            ConstTensor a = acc;
            boolean integer = a.isInteger() && b.isInteger();
            long[] ints = integer ? new long[n] : null;
            double[] reals = integer ? null : new double[n];
            for (int i = 0; i < n; i++) {
                long[] idx = unravel(i, outStrides);
                int ia = broadcastSource(idx, a.shape());
                int ib = broadcastSource(idx, b.shape());
                if (integer) {
                    ints[i] = applyInt(op, a.intAt(ia), b.intAt(ib));
                } else {
                    reals[i] = (float) applyReal(op, a.realAt(ia), b.realAt(ib));
                }
            }
            acc = new ConstTensor(a.dtype(), outShape, ints, reals);
        }
        return acc;
    }

    private static long applyInt(String op, long a, long b) {
        return switch (op) {
            case "Add" -> Math.addExact(a, b);
            case "Sub" -> Math.subtractExact(a, b);
            case "Mul" -> Math.multiplyExact(a, b);
            case "Div" -> {
                if (b == 0) {
                    throw new dev.tessera.operators.InvalidModelException("integer division by zero in a constant");
                }
                yield a / b;
            }
            case "Max" -> Math.max(a, b);
            default -> Math.min(a, b);
        };
    }

    private static double applyReal(String op, double a, double b) {
        return switch (op) {
            case "Add" -> a + b;
            case "Sub" -> a - b;
            case "Mul" -> a * b;
            case "Div" -> a / b;
            case "Max" -> Math.max(a, b);
            default -> Math.min(a, b);
        };
    }
}
