package dev.tessera.operators.graph;

import dev.tessera.operators.InternalCompilerError;
import dev.tessera.operators.InvalidModelException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Figures computed from the shapes of a validated graph.
 *
 * <p><b>Parameters</b> are the elements of all {@link TensorRole#WEIGHT} tensors. A
 * BatchNormalization node reads four weight vectors (scale, bias, running mean and variance), so
 * all four count — the convention of Keras' "total params"; torchvision counts only scale and bias,
 * which makes its figures slightly lower (0.4% for ResNet-50).
 *
 * <p><b>MACs</b> (multiply-accumulates) count the products of the matrix-like ops only, the
 * convention of torchvision's and thop's tables (bias additions, normalizations, activations and
 * pooling are not counted):
 * <ul>
 *   <li>Conv: {@code elements(Y) * (C / group) * prod(kernel)};
 *   <li>ConvTranspose: {@code elements(X) * (M / group) * prod(kernel)} (every input element meets
 *       every kernel tap of its group's output channels);
 *   <li>Gemm: {@code M * N * K};
 *   <li>MatMul: {@code elements(Y) * K} (batch dimensions included).
 * </ul>
 * Example: ResNet-50's stem Conv, Y [1, 64, 112, 112], C 3, kernel 7x7: 802,816 * 3 * 49 = 118.0 M.
 *
 * <p><b>Activation bytes</b> add up the bytes of all {@link TensorRole#ACTIVATION} and
 * {@link TensorRole#OUTPUT} tensors (no buffer sharing). <b>Peak activation bytes</b> walk the
 * nodes in order: a non-weight tensor is live from its producer's step (step 0 for inputs) to its
 * last consumer's step, outputs to the last step; the peak is the largest sum of live bytes at any
 * step. It is what a planner that frees a buffer right after its last use would need at least.
 *
 * @param model               the graph's name
 * @param parameters          elements of the weight tensors
 * @param weightBytes         bytes of the weight tensors
 * @param macs                multiply-accumulates of Conv, ConvTranspose, Gemm and MatMul
 * @param activationBytes     bytes of the activation and output tensors
 * @param peakActivationBytes peak bytes of live input, activation and output tensors
 * @param tensorBytes         bytes of every tensor, in the graph's tensor order
 */
public record GraphStatistics(String model, long parameters, long weightBytes, long macs, long activationBytes,
        long peakActivationBytes, List<TensorBytes> tensorBytes) {

    /** The size of one tensor. */
    public record TensorBytes(String tensor, TensorRole role, long bytes) {}

    public GraphStatistics {
        tensorBytes = List.copyOf(tensorBytes);
    }

    /**
     * The statistics of a graph returned by {@link GraphValidator#validate}.
     *
     * @throws InternalCompilerError when a tensor has no shape (the graph was not validated)
     * @throws InvalidModelException  when the MAC count does not fit in a {@code long}
     */
    public static GraphStatistics of(Graph validated) {
        Map<String, Tensor> byName = new HashMap<>();
        long parameters = 0;
        long weightBytes = 0;
        long activationBytes = 0;
        List<TensorBytes> sizes = new ArrayList<>();
        for (Tensor t : validated.tensors()) {
            if (!t.hasShape()) {
                throw new InternalCompilerError("statistics of model '" + validated.name() + "' need a validated"
                        + " graph, but tensor '" + t.name() + "' has no shape");
            }
            byName.put(t.name(), t);
            sizes.add(new TensorBytes(t.name(), t.role(), t.bytes()));
            if (t.role() == TensorRole.WEIGHT) {
                parameters += t.elementCount();
                weightBytes += t.bytes();
            } else if (t.role() == TensorRole.ACTIVATION || t.role() == TensorRole.OUTPUT) {
                activationBytes += t.bytes();
            }
        }
        long macs = 0;
        try {
            for (Node n : validated.nodes()) {
                macs = Math.addExact(macs, macs(n, byName));
            }
        } catch (ArithmeticException e) {
            throw new InvalidModelException("model '" + validated.name() + "': its multiply-accumulate count"
                    + " overflows a 64-bit integer");
        }
        return new GraphStatistics(validated.name(), parameters, weightBytes, macs, activationBytes,
                peakLiveBytes(validated), sizes);
    }

    /** The bytes of tensor {@code name}. */
    public long bytesOf(String name) {
        for (TensorBytes t : tensorBytes) {
            if (t.tensor().equals(name)) {
                return t.bytes();
            }
        }
        throw new IllegalArgumentException("model '" + model + "' has no tensor '" + name + "'");
    }

    private static long macs(Node n, Map<String, Tensor> tensors) {
        switch (n.opType()) {
            case "Conv": {
                List<Long> w = tensors.get(n.inputs().get(1)).shape();
                long y = tensors.get(n.outputs().get(0)).elementCount();
                return Math.multiplyExact(y, product(w, 1));
            }
            case "ConvTranspose": {
                List<Long> w = tensors.get(n.inputs().get(1)).shape();
                long x = tensors.get(n.inputs().get(0)).elementCount();
                return Math.multiplyExact(x, product(w, 1));
            }
            case "Gemm": {
                List<Long> a = tensors.get(n.inputs().get(0)).shape();
                boolean transA = n.attributes().get("transA") instanceof Attribute.Int i && i.value() == 1;
                long k = transA ? a.get(0) : a.get(1);
                return Math.multiplyExact(tensors.get(n.outputs().get(0)).elementCount(), k);
            }
            case "MatMul": {
                List<Long> a = tensors.get(n.inputs().get(0)).shape();
                return Math.multiplyExact(tensors.get(n.outputs().get(0)).elementCount(), a.get(a.size() - 1));
            }
            default:
                return 0;
        }
    }

    private static long product(List<Long> shape, int from) {
        long p = 1;
        for (int i = from; i < shape.size(); i++) {
            p *= shape.get(i);
        }
        return p;
    }

    private static long peakLiveBytes(Graph g) {
        int steps = g.nodes().size();
        Map<String, Integer> first = new HashMap<>();
        Map<String, Integer> last = new HashMap<>();
        for (int i = 0; i < steps; i++) {
            Node n = g.nodes().get(i);
            for (String in : n.inputs()) {
                last.put(in, i);
            }
            for (String out : n.outputs()) {
                first.put(out, i);
            }
        }
        // delta[i] changes the live sum when entering step i; a tensor leaves after its last step.
        long[] delta = new long[steps + 2];
        long peak = 0;
        for (Tensor t : g.tensors()) {
            if (t.role() == TensorRole.WEIGHT) {
                continue;
            }
            int start = first.getOrDefault(t.name(), 0);
            int end = t.role() == TensorRole.OUTPUT ? Math.max(steps - 1, start)
                    : Math.max(last.getOrDefault(t.name(), start), start);
            delta[start] += t.bytes();
            delta[end + 1] -= t.bytes();
        }
        long live = 0;
        for (int i = 0; i < Math.max(steps, 1); i++) {
            live += delta[i];
            peak = Math.max(peak, live);
        }
        return peak;
    }
}
