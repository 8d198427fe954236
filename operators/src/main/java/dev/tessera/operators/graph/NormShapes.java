package dev.tessera.operators.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Shape rules of normalizations and reductions: BatchNormalization, LayerNormalization, Softmax, ReduceMean. */
final class NormShapes {
    private NormShapes() {}

    /**
     * BatchNormalization in inference form: X [N, C, ...] and four vectors scale, B, mean, var of
     * shape [C] give Y with X's shape. Training mode (extra outputs) is not accepted.
     */
    static List<TensorType> batchNorm(OpContext c) {
        c.requireMinRank(0, 2);
        ElementwiseShapes.requireFloatingPoint(c, 0);
        c.inRange("training_mode", c.intAttr("training_mode", 0), 0, 0);
        epsilon(c);
        c.floatAttr("momentum", 0.9);
        List<Long> channels = List.of(c.shape(0).get(1));
        String[] roles = {"", "scale", "B", "mean", "var"};
        for (int i = 1; i <= 4; i++) {
            ElementwiseShapes.sameDType(c, 0, i);
            c.requireShape(i, channels, roles[i]);
        }
        return List.of(c.input(0));
    }

    /**
     * LayerNormalization: normalizes X over the axes from {@code axis} (default -1) to the last;
     * Scale and the optional B have the shape of those trailing dimensions; Y has X's shape.
     * Example: X [1, 128, 768], axis -1, Scale [768].
     */
    static List<TensorType> layerNorm(OpContext c) {
        c.requireMinRank(0, 1);
        ElementwiseShapes.requireFloatingPoint(c, 0);
        int axis = c.axis("axis", c.intAttr("axis", -1), c.rank(0));
        epsilon(c);
        c.inRange("stash_type", c.intAttr("stash_type", 1), 1, 1);
        List<Long> normalized = c.shape(0).subList(axis, c.rank(0));
        for (int i = 1; i < c.inputCount(); i++) {
            if (c.hasInput(i)) {
                ElementwiseShapes.sameDType(c, 0, i);
                c.requireShape(i, normalized, i == 1 ? "scale" : "bias");
            }
        }
        return List.of(c.input(0));
    }

    /** Softmax along {@code axis} (default -1, opset 13): the output has the input's shape. */
    static List<TensorType> softmax(OpContext c) {
        c.requireMinRank(0, 1);
        ElementwiseShapes.requireFloatingPoint(c, 0);
        c.axis("axis", c.intAttr("axis", -1), c.rank(0));
        return List.of(c.input(0));
    }

    /**
     * ReduceMean over {@code axes} (all axes when absent, unless {@code noop_with_empty_axes});
     * reduced axes become 1 with {@code keepdims} = 1 (default) and disappear otherwise.
     * Example: [1, 64, 56, 56], axes [2, 3], keepdims 1 give [1, 64, 1, 1].
     */
    static List<TensorType> reduceMean(OpContext c) {
        int rank = c.rank(0);
        boolean keepDims = c.inRange("keepdims", c.intAttr("keepdims", 1), 0, 1) == 1;
        boolean noop = c.inRange("noop_with_empty_axes", c.intAttr("noop_with_empty_axes", 0), 0, 1) == 1;
        List<Long> axesAttr = c.intsOrNull("axes");
        TreeSet<Integer> axes = new TreeSet<>();
        if (axesAttr == null || axesAttr.isEmpty()) {
            if (noop) {
                return List.of(c.input(0));
            }
            for (int i = 0; i < rank; i++) {
                axes.add(i);
            }
        } else {
            for (long a : axesAttr) {
                if (!axes.add(c.axis("axes", a, rank))) {
                    throw c.fail("attribute 'axes' = " + axesAttr + " names an axis twice");
                }
            }
        }
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            if (!axes.contains(i)) {
                out.add(c.shape(0).get(i));
            } else if (keepDims) {
                out.add(1L);
            }
        }
        return List.of(new TensorType(out, c.dtype(0)));
    }

    private static void epsilon(OpContext c) {
        double eps = c.floatAttr("epsilon", 1e-5);
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw c.fail("attribute 'epsilon' = " + eps + " must be positive and finite");
        }
    }
}
