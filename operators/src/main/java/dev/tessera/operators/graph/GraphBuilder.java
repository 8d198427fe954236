package dev.tessera.operators.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a graph node by node, inferring each output's shape as it goes, so that code building a
 * model can size the next layer's weights from {@link #shape(String)}. Tensors keep the order in
 * which they were declared; {@link #build()} validates the result.
 *
 * <pre>{@code
 * GraphBuilder b = new GraphBuilder("mlp");
 * String x = b.input("x", DType.FLOAT32, 1, 784);
 * String h = b.node("Gemm", "fc1", List.of(x, b.weight("fc1.weight", 128, 784), b.weight("fc1.bias", 128)),
 *         Map.of("transB", Attribute.of(1)));
 * b.output(b.node("Relu", "relu1", List.of(h), Map.of()));
 * Graph g = b.build();
 * }</pre>
 */
public final class GraphBuilder {
    private final String model;
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private final List<Node> nodes = new ArrayList<>();

    public GraphBuilder(String model) {
        this.model = model;
    }

    public String input(String name, DType dtype, long... shape) {
        return declare(new Tensor(name, boxed(shape), dtype, TensorRole.INPUT));
    }

    /** Declares a float32 weight. */
    public String weight(String name, long... shape) {
        return weight(name, DType.FLOAT32, shape);
    }

    public String weight(String name, DType dtype, long... shape) {
        return declare(new Tensor(name, boxed(shape), dtype, TensorRole.WEIGHT));
    }

    /**
     * Adds a one-output node named {@code name} whose output tensor is also named {@code name}.
     *
     * @return the output tensor's name
     */
    public String node(String opType, String name, List<String> inputs, Map<String, Attribute> attributes) {
        return node(opType, name, inputs, List.of(name), attributes).get(0);
    }

    /** Adds a node with the given output tensor names (declared here as activations). */
    public List<String> node(String opType, String name, List<String> inputs, List<String> outputs,
            Map<String, Attribute> attributes) {
        Node node = new Node(name, opType, inputs, outputs, attributes);
        List<TensorType> types = new ArrayList<>();
        for (String in : inputs) {
            Tensor t = tensors.get(in);
            if (t == null && !in.isEmpty()) {
                throw new IllegalArgumentException("model '" + model + "': node '" + name + "' reads undeclared tensor '"
                        + in + "'");
            }
            types.add(t == null ? null : new TensorType(t.shape(), t.dtype()));
        }
        List<TensorType> inferred = ShapeInference.infer(model, node, types);
        for (int i = 0; i < outputs.size(); i++) {
            declare(new Tensor(outputs.get(i), inferred.get(i).shape(), inferred.get(i).dtype(),
                    TensorRole.ACTIVATION));
        }
        nodes.add(node);
        return outputs;
    }

    /** Marks an activation as a model output. */
    public GraphBuilder output(String tensor) {
        Tensor t = tensors.get(tensor);
        if (t == null || t.role() != TensorRole.ACTIVATION) {
            throw new IllegalArgumentException("model '" + model + "': '" + tensor + "' is not an activation");
        }
        tensors.put(tensor, new Tensor(t.name(), t.shape(), t.dtype(), TensorRole.OUTPUT));
        return this;
    }

    public List<Long> shape(String tensor) {
        Tensor t = tensors.get(tensor);
        if (t == null) {
            throw new IllegalArgumentException("model '" + model + "' has no tensor '" + tensor + "'");
        }
        return t.shape();
    }

    /** The graph, validated against {@link GraphLimits#DEFAULTS}. */
    public Graph build() {
        return GraphValidator.validate(new Graph(model, new ArrayList<>(tensors.values()), nodes),
                GraphLimits.DEFAULTS);
    }

    private String declare(Tensor t) {
        if (tensors.putIfAbsent(t.name(), t) != null) {
            throw new IllegalArgumentException("model '" + model + "': tensor '" + t.name() + "' is declared twice");
        }
        return t.name();
    }

    private static List<Long> boxed(long[] shape) {
        return Arrays.stream(shape).boxed().toList();
    }
}
