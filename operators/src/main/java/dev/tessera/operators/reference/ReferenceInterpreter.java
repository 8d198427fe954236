package dev.tessera.operators.reference;

import dev.tessera.operators.graph.Graph;
import dev.tessera.operators.graph.Node;
import dev.tessera.operators.graph.Tensor;
import dev.tessera.operators.graph.TensorRole;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The numerical ground truth: runs a graph in plain fp32 (accumulating in double), node by node in
 * graph order, with kernels written for clarity rather than speed. It reads node attributes in the
 * canonical forms of the ONNX importer ({@code dev.tessera.operators.onnx.OpConverter}) and output
 * shapes from the graph's tensors. Weights are read from the {@link WeightSource} when first used and
 * every value is dropped after its last use, so peak memory is the live activations plus one layer's
 * weights. Integer tensors (Gather indices, masks) are carried as their float values.
 *
 * <p>Example: for a graph {@code y = Relu(x)}, {@code run(g, WeightSource.EMPTY, Map.of("x", x))}
 * returns {@code {y: max(x, 0)}}.
 */
public final class ReferenceInterpreter {
    /** The op types this interpreter computes. */
    public static final Set<String> OPS = Set.of("Conv", "ConvTranspose", "Gemm", "MatMul", "BatchNormalization",
            "Relu", "LeakyRelu", "Clip", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Erf", "Add", "Sub", "Mul",
            "Div", "Pow", "Sqrt", "Max", "Min", "Concat", "Reshape", "Flatten", "Transpose", "Squeeze", "Unsqueeze",
            "Slice", "Split", "Pad", "MaxPool", "AveragePool", "GlobalAveragePool", "ReduceMean", "Softmax",
            "LayerNormalization", "Gather", "Resize", "Identity", "Cast");

    private ReferenceInterpreter() {}

    /**
     * Runs {@code graph} on {@code inputs} (one per INPUT tensor, with its shape).
     *
     * @return the OUTPUT tensors by name, in the graph's tensor order
     * @throws IllegalArgumentException when an input is missing or has the wrong shape, or the graph
     *     holds an op without a kernel here
     */
    public static Map<String, FloatTensor> run(Graph graph, WeightSource weights, Map<String, FloatTensor> inputs) {
        Map<String, Tensor> tensors = new HashMap<>();
        for (Tensor t : graph.tensors()) {
            tensors.put(t.name(), t);
        }
        Map<String, FloatTensor> live = new HashMap<>();
        for (Tensor t : graph.tensors()) {
            if (t.role() == TensorRole.INPUT) {
                FloatTensor given = inputs.get(t.name());
                if (given == null) {
                    throw new IllegalArgumentException("no value for input '" + t.name() + "' " + t.shape());
                }
                if (!given.shapeList().equals(t.shape())) {
                    throw new IllegalArgumentException("input '" + t.name() + "' has shape " + given.shapeList()
                            + "; the graph expects " + t.shape());
                }
                live.put(t.name(), given);
            }
        }
        Map<String, Integer> lastUse = new HashMap<>();
        List<Node> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            for (String in : nodes.get(i).inputs()) {
                lastUse.put(in, i);
            }
        }
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            List<FloatTensor> args = new ArrayList<>();
            for (String in : node.inputs()) {
                FloatTensor v = live.get(in);
                if (v == null) {
                    Tensor t = tensors.get(in);
                    if (t == null || t.role() != TensorRole.WEIGHT) {
                        throw new IllegalArgumentException(node.opType() + " node '" + node.name() + "' reads '" + in
                                + "', which is neither computed before it nor a weight");
                    }
                    v = FloatTensor.of(t.shape(), weights.read(in));
                    live.put(in, v);
                }
                args.add(v);
            }
            List<FloatTensor> results = evaluate(node, args, outputShapes(node, tensors));
            if (node.opType().equals("Div") && !tensors.get(node.outputs().get(0)).dtype().isFloatingPoint()) {
                results = List.of(Elementwise.truncate(results.get(0)));
            }
            for (int k = 0; k < Math.min(results.size(), node.outputs().size()); k++) {
                String out = node.outputs().get(k);
                if (!out.isEmpty()) {
                    live.put(out, results.get(k));
                }
            }
            for (String in : node.inputs()) {
                Tensor t = tensors.get(in);
                if (lastUse.get(in) == i && (t == null || t.role() != TensorRole.OUTPUT)) {
                    live.remove(in);
                }
            }
        }
        Map<String, FloatTensor> outputs = new LinkedHashMap<>();
        for (Tensor t : graph.tensors()) {
            if (t.role() == TensorRole.OUTPUT) {
                outputs.put(t.name(), live.get(t.name()));
            }
        }
        return outputs;
    }

    private static List<int[]> outputShapes(Node node, Map<String, Tensor> tensors) {
        List<int[]> shapes = new ArrayList<>();
        for (String out : node.outputs()) {
            Tensor t = tensors.get(out);
            shapes.add(t == null ? null : FloatTensor.toIntShape(t.shape()));
        }
        return shapes;
    }

    private static FloatTensor optional(List<FloatTensor> args, int i) {
        return i < args.size() ? args.get(i) : null;
    }

    static List<FloatTensor> evaluate(Node node, List<FloatTensor> args, List<int[]> outShapes) {
        int[] shape = outShapes.get(0);
        FloatTensor x = args.get(0);
        FloatTensor result = switch (node.opType()) {
            case "Conv" -> Convolutions.conv(node, x, args.get(1), optional(args, 2), shape);
            case "ConvTranspose" -> Convolutions.convTranspose(node, x, args.get(1), optional(args, 2), shape);
            case "MaxPool" -> null;
            case "AveragePool" -> Convolutions.pool(node, x, shape).get(0);
            case "GlobalAveragePool" -> Convolutions.globalAveragePool(x, shape);
            case "Gemm" -> LinearAlgebra.gemm(node, x, args.get(1), optional(args, 2), shape);
            case "MatMul" -> LinearAlgebra.matMul(x, args.get(1), shape);
            case "BatchNormalization" -> Normalizations.batchNormalization(node, x, args.get(1), args.get(2),
                    args.get(3), args.get(4));
            case "LayerNormalization" -> null;
            case "Softmax" -> Normalizations.softmax(node, x);
            case "ReduceMean" -> Normalizations.reduceMean(node, x, shape);
            case "Relu", "LeakyRelu", "Clip", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Erf", "Sqrt",
                    "Identity", "Cast" -> Elementwise.unary(node, x);
            case "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min" -> Elementwise.broadcast(node, args, shape);
            case "Reshape", "Flatten", "Squeeze", "Unsqueeze" -> x.reshape(shape);
            case "Concat" -> Layouts.concat(node, args, shape);
            case "Transpose" -> Layouts.transpose(node, x, shape);
            case "Slice" -> Layouts.slice(node, x, shape);
            case "Pad" -> Layouts.pad(node, x, shape);
            case "Gather" -> Layouts.gather(node, x, args.get(1), shape);
            case "Resize" -> Resize.resize(node, x, shape);
            case "Split" -> null;
            default -> throw new IllegalArgumentException("the reference interpreter has no kernel for op '"
                    + node.opType() + "' (node '" + node.name() + "')");
        };
        if (result != null) {
            return List.of(result);
        }
        return switch (node.opType()) {
            case "MaxPool" -> Convolutions.pool(node, x, shape);
            case "LayerNormalization" -> Normalizations.layerNormalization(node, x, args.get(1), optional(args, 2));
            default -> Layouts.split(node, x);
        };
    }
}
