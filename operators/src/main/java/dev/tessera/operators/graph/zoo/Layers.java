package dev.tessera.operators.graph.zoo;

import dev.tessera.operators.graph.Attribute;
import dev.tessera.operators.graph.DType;
import dev.tessera.operators.graph.Graph;
import dev.tessera.operators.graph.GraphBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small layer vocabulary over {@link GraphBuilder} for writing the zoo from published layer
 * tables: each method adds the nodes of one layer, declares its weights (named
 * {@code <layer>.weight}, {@code <layer>.bias}, …, sized from the input's shape) and returns the
 * layer's output tensor. Everything is float32, NCHW, batch 1.
 */
final class Layers {
    private final GraphBuilder b;

    Layers(String model) {
        this.b = new GraphBuilder(model);
    }

    String input(String name, long... shape) {
        return b.input(name, DType.FLOAT32, shape);
    }

    String indices(String name, long... shape) {
        return b.input(name, DType.INT64, shape);
    }

    long channels(String x) {
        return b.shape(x).get(1);
    }

    long lastDim(String x) {
        List<Long> s = b.shape(x);
        return s.get(s.size() - 1);
    }

    /** Conv with a square kernel, equal pads on every side, no bias. */
    String conv(String name, String x, long out, long k, long stride, long pad) {
        return conv(name, x, out, k, k, stride, pad, pad, 1, false);
    }

    /** Conv with a kh x kw kernel, pads (padH, padW) on both sides of each axis. */
    String conv(String name, String x, long out, long kh, long kw, long stride, long padH, long padW, long group,
            boolean bias) {
        List<String> inputs = new ArrayList<>(List.of(x, b.weight(name + ".weight", out, channels(x) / group, kh, kw)));
        if (bias) {
            inputs.add(b.weight(name + ".bias", out));
        }
        return b.node("Conv", name, inputs, attrs(
                "kernel_shape", Attribute.ints(kh, kw),
                "strides", Attribute.ints(stride, stride),
                "pads", Attribute.ints(padH, padW, padH, padW),
                "group", Attribute.of(group)));
    }

    /** BatchNormalization in inference form with its four per-channel vectors. */
    String batchNorm(String name, String x, double epsilon) {
        long c = channels(x);
        return b.node("BatchNormalization", name, List.of(x, b.weight(name + ".scale", c), b.weight(name + ".bias", c),
                b.weight(name + ".mean", c), b.weight(name + ".var", c)), attrs("epsilon", Attribute.of(epsilon)));
    }

    String relu(String name, String x) {
        return b.node("Relu", name, List.of(x), Map.of());
    }

    /** ReLU6 = Clip(x, 0, 6). */
    String relu6(String name, String x) {
        return b.node("Clip", name, List.of(x), attrs("min", Attribute.of(0.0), "max", Attribute.of(6.0)));
    }

    String maxPool(String name, String x, long k, long stride, long pad) {
        return b.node("MaxPool", name, List.of(x), poolAttrs(k, stride, pad));
    }

    /** AveragePool; padded positions count in the mean, as in the torchvision models. */
    String avgPool(String name, String x, long k, long stride, long pad) {
        Map<String, Attribute> a = poolAttrs(k, stride, pad);
        a.put("count_include_pad", Attribute.of(1));
        return b.node("AveragePool", name, List.of(x), a);
    }

    String globalAvgPool(String name, String x) {
        return b.node("GlobalAveragePool", name, List.of(x), Map.of());
    }

    String flatten(String name, String x) {
        return b.node("Flatten", name, List.of(x), attrs("axis", Attribute.of(1)));
    }

    /** A fully connected layer: Gemm with weight [out, in] (transB) and bias [out]. */
    String linear(String name, String x, long out) {
        return b.node("Gemm", name, List.of(x, b.weight(name + ".weight", out, lastDim(x)),
                b.weight(name + ".bias", out)), attrs("transB", Attribute.of(1)));
    }

    /** A dense projection of the last axis as MatMul by weight [in, out] plus a broadcast bias. */
    String dense(String name, String x, long out) {
        String y = b.node("MatMul", name + ".matmul", List.of(x, b.weight(name + ".weight", lastDim(x), out)),
                Map.of());
        return add(name, y, b.weight(name + ".bias", out));
    }

    String add(String name, String a, String c) {
        return b.node("Add", name, List.of(a, c), Map.of());
    }

    String matMul(String name, String a, String c) {
        return b.node("MatMul", name, List.of(a, c), Map.of());
    }

    String concat(String name, List<String> xs) {
        return b.node("Concat", name, xs, attrs("axis", Attribute.of(1)));
    }

    String layerNorm(String name, String x, double epsilon) {
        long h = lastDim(x);
        return b.node("LayerNormalization", name, List.of(x, b.weight(name + ".weight", h), b.weight(name + ".bias", h)),
                attrs("axis", Attribute.of(-1), "epsilon", Attribute.of(epsilon)));
    }

    /** An embedding lookup: Gather rows of a [rows, width] table. */
    String embedding(String name, String ids, long rows, long width) {
        return b.node("Gather", name, List.of(b.weight(name + ".weight", rows, width), ids), attrs("axis", Attribute.of(0)));
    }

    String op(String opType, String name, String x, Map<String, Attribute> attributes) {
        return b.node(opType, name, List.of(x), attributes);
    }

    Graph build(String... outputs) {
        for (String o : outputs) {
            b.output(o);
        }
        return b.build();
    }

    /** An attribute map from alternating names and values, sorted, mutable. */
    static Map<String, Attribute> attrs(Object... pairs) {
        Map<String, Attribute> m = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (Attribute) pairs[i + 1]);
        }
        return m;
    }

    private static Map<String, Attribute> poolAttrs(long k, long stride, long pad) {
        return attrs("kernel_shape", Attribute.ints(k, k), "strides", Attribute.ints(stride, stride),
                "pads", Attribute.ints(pad, pad, pad, pad));
    }
}
