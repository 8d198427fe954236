package dev.tessera.operators.reference;

import dev.tessera.operators.graph.Graph;
import dev.tessera.operators.graph.Tensor;
import dev.tessera.operators.graph.TensorRole;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Reproducible inputs for comparing two executions of one model: the same seed gives the same
 * values on every machine. Floating-point inputs are uniform in [−1, 1) (the range of normalised
 * image pixels); integer and bool inputs are 0 or 1, valid as token ids, masks and indices of any
 * non-empty axis.
 */
public final class SeededInputs {
    private SeededInputs() {}

    /** One value per INPUT tensor of {@code graph}, in graph order; input k uses seed + k. */
    public static Map<String, FloatTensor> forGraph(Graph graph, long seed) {
        Map<String, FloatTensor> inputs = new LinkedHashMap<>();
        long k = 0;
        for (Tensor t : graph.tensors()) {
            if (t.role() == TensorRole.INPUT) {
                inputs.put(t.name(), t.dtype().isFloatingPoint() ? uniform(t.shape(), seed + k) : bits(t.shape(), seed + k));
                k++;
            }
        }
        return inputs;
    }

    public static FloatTensor uniform(List<Long> shape, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[Math.toIntExact(elements(shape))];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return FloatTensor.of(shape, v);
    }

    private static FloatTensor bits(List<Long> shape, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[Math.toIntExact(elements(shape))];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextInt(2);
        }
        return FloatTensor.of(shape, v);
    }

    private static long elements(List<Long> shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }
}
