package dev.tessera.operators.graph;

import dev.tessera.operators.InvalidModelException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks a graph and infers every tensor's shape; the only way a graph becomes "validated".
 *
 * <p>The checks, in the order they run (the first failure is reported):
 * <ol>
 *   <li>limits: node count ({@link GraphLimits#maxNodes()});
 *   <li>tensors: non-empty, unique names; declared shapes have positive sizes, rank and element
 *       count within the limits; inputs and weights declare their shapes;
 *   <li>nodes: non-empty, unique names; supported op types; every input names a declared tensor
 *       (the empty name marks an absent optional input, as in ONNX); every output names a declared
 *       activation or output tensor produced by no other node; every activation and output tensor
 *       has a producer; at least one output tensor exists;
 *   <li>order: nodes must already be in a topological order (each node reads only inputs, weights
 *       and tensors of earlier nodes). The order is kept, not re-sorted, because it is part of the
 *       graph's identity (its hash) and later stages schedule in it; a violation is reported as a
 *       cycle with its nodes when there is one, and as an ordering error otherwise;
 *   <li>shapes: {@link ShapeInference} runs node by node; an inferred output type must match the
 *       declared dtype and, when declared, the shape; inferred shapes respect the limits;
 *   <li>limits: the bytes of all tensors together ({@link GraphLimits#maxTotalBytes()}).
 * </ol>
 * Every error is an {@link InvalidModelException} whose message starts with {@code model 'name':}
 * and names the node or tensor, the offending value and, for limits, the limit.
 *
 * <p>Tensors no node reads (an unused weight, say) are allowed, as in ONNX; they still count in
 * the statistics.
 */
public final class GraphValidator {
    private GraphValidator() {}

    /** Validates {@code graph} and returns it with every tensor's shape filled in. */
    public static Graph validate(Graph graph, GraphLimits limits) {
        return new Run(graph, limits).validate();
    }

    private static final class Run {
        private final Graph graph;
        private final GraphLimits limits;
        private final Map<String, Tensor> tensors = new LinkedHashMap<>();
        private final Map<String, Integer> producer = new HashMap<>();

        Run(Graph graph, GraphLimits limits) {
            this.graph = graph;
            this.limits = limits;
        }

        Graph validate() {
            if (graph.nodes().size() > limits.maxNodes()) {
                throw fail(graph.nodes().size() + " nodes exceed the limit of " + limits.maxNodes()
                        + " nodes (maxNodes)");
            }
            declareTensors();
            checkNodes();
            checkOrder();
            inferShapes();
            checkTotalBytes();
            List<Tensor> out = new ArrayList<>(tensors.values());
            return new Graph(graph.name(), out, graph.nodes());
        }

        private void declareTensors() {
            for (Tensor t : graph.tensors()) {
                if (t.name().isEmpty()) {
                    throw fail("a tensor has an empty name");
                }
                if (tensors.putIfAbsent(t.name(), t) != null) {
                    throw fail("tensor '" + t.name() + "' is declared twice");
                }
                if (t.hasShape()) {
                    checkShape("tensor '" + t.name() + "'", t.shape());
                } else if (t.role() == TensorRole.INPUT || t.role() == TensorRole.WEIGHT) {
                    throw fail("tensor '" + t.name() + "' (" + roleName(t) + ") has no shape; inputs and weights"
                            + " must declare theirs");
                }
            }
        }

        private void checkNodes() {
            Map<String, Integer> names = new HashMap<>();
            for (int i = 0; i < graph.nodes().size(); i++) {
                Node n = graph.nodes().get(i);
                String where = "node '" + n.name() + "' (" + n.opType() + ")";
                if (n.name().isEmpty()) {
                    throw fail("node " + i + " (" + n.opType() + ") has an empty name");
                }
                if (names.putIfAbsent(n.name(), i) != null) {
                    throw fail("node name '" + n.name() + "' is used twice (nodes " + names.get(n.name()) + " and "
                            + i + ")");
                }
                if (!OpRegistry.isSupported(n.opType())) {
                    throw fail(where + ": unknown op type '" + n.opType() + "'; supported: "
                            + String.join(", ", OpRegistry.supportedOps()));
                }
                for (String in : n.inputs()) {
                    if (!in.isEmpty() && !tensors.containsKey(in)) {
                        throw fail(where + " reads tensor '" + in + "', which is not declared");
                    }
                }
                for (String out : n.outputs()) {
                    Tensor t = tensors.get(out);
                    if (t == null) {
                        throw fail(where + " writes tensor '" + out + "', which is not declared");
                    }
                    if (t.role() == TensorRole.INPUT || t.role() == TensorRole.WEIGHT) {
                        throw fail(where + " writes tensor '" + out + "', which is "
                                + (t.role() == TensorRole.INPUT ? "an input" : "a weight")
                                + "; only activations and outputs are produced by nodes");
                    }
                    Integer previous = producer.putIfAbsent(out, i);
                    if (previous != null) {
                        throw fail("tensor '" + out + "' is produced twice: by node '"
                                + graph.nodes().get(previous).name() + "' and by node '" + n.name() + "'");
                    }
                }
            }
            boolean hasOutput = false;
            for (Tensor t : tensors.values()) {
                boolean produced = t.role() == TensorRole.ACTIVATION || t.role() == TensorRole.OUTPUT;
                if (produced && !producer.containsKey(t.name())) {
                    throw fail("tensor '" + t.name() + "' (" + roleName(t) + ") is produced by no node");
                }
                hasOutput |= t.role() == TensorRole.OUTPUT;
            }
            if (!hasOutput) {
                throw fail("the graph has no output tensor");
            }
        }

        private void checkOrder() {
            for (int i = 0; i < graph.nodes().size(); i++) {
                Node n = graph.nodes().get(i);
                for (String in : n.inputs()) {
                    Integer j = producer.get(in);
                    if (j == null || j < i) {
                        continue;
                    }
                    List<Integer> path = path(i, j);
                    if (path != null) {
                        List<String> cycle = new ArrayList<>();
                        for (int k : path) {
                            cycle.add("'" + graph.nodes().get(k).name() + "'");
                        }
                        cycle.add("'" + graph.nodes().get(path.get(0)).name() + "'");
                        throw fail("the graph has a cycle: node " + String.join(" -> node ", cycle));
                    }
                    throw fail("node '" + n.name() + "' reads tensor '" + in + "' before node '"
                            + graph.nodes().get(j).name() + "' produces it: nodes must be listed in a topological"
                            + " order");
                }
            }
        }

        /** The nodes on a shortest producer-to-consumer path from node {@code from} to node {@code to}, or null. */
        private List<Integer> path(int from, int to) {
            Map<String, List<Integer>> consumers = new HashMap<>();
            for (int k = 0; k < graph.nodes().size(); k++) {
                for (String in : graph.nodes().get(k).inputs()) {
                    consumers.computeIfAbsent(in, x -> new ArrayList<>()).add(k);
                }
            }
            Map<Integer, Integer> parent = new HashMap<>();
            ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(from));
            parent.put(from, from);
            while (!queue.isEmpty()) {
                int k = queue.poll();
                if (k == to) {
                    List<Integer> path = new ArrayList<>();
                    for (int p = to; p != from; p = parent.get(p)) {
                        path.add(p);
                    }
                    path.add(from);
                    Collections.reverse(path);
                    return path;
                }
                for (String out : graph.nodes().get(k).outputs()) {
                    for (int next : consumers.getOrDefault(out, List.of())) {
                        if (parent.putIfAbsent(next, k) == null) {
                            queue.add(next);
                        }
                    }
                }
            }
            return null;
        }

        private void inferShapes() {
            for (Node n : graph.nodes()) {
                List<TensorType> inputs = new ArrayList<>(n.inputs().size());
                for (String in : n.inputs()) {
                    Tensor t = in.isEmpty() ? null : tensors.get(in);
                    inputs.add(t == null ? null : new TensorType(t.shape(), t.dtype()));
                }
                List<TensorType> outputs = ShapeInference.infer(graph.name(), n, inputs);
                for (int k = 0; k < outputs.size(); k++) {
                    Tensor declared = tensors.get(n.outputs().get(k));
                    TensorType inferred = outputs.get(k);
                    String where = "node '" + n.name() + "' (" + n.opType() + ")";
                    if (declared.dtype() != inferred.dtype()) {
                        throw fail("tensor '" + declared.name() + "' is declared " + declared.dtype().text() + " but "
                                + where + " produces " + inferred.dtype().text());
                    }
                    if (declared.hasShape() && !declared.shape().equals(inferred.shape())) {
                        throw fail("tensor '" + declared.name() + "' is declared with shape " + declared.shape()
                                + " but " + where + " produces " + inferred.shape());
                    }
                    checkShape("tensor '" + declared.name() + "' (output of " + where + ")", inferred.shape());
                    tensors.put(declared.name(), declared.withShape(inferred.shape()));
                }
            }
        }

        private void checkShape(String what, List<Long> shape) {
            if (shape.size() > limits.maxRank()) {
                throw fail(what + " has rank " + shape.size() + " (shape " + shape + "), over the limit of "
                        + limits.maxRank() + " (maxRank)");
            }
            for (long d : shape) {
                if (d < 1) {
                    throw fail(what + " has shape " + shape + "; every dimension must be positive");
                }
            }
            long elements = saturatedElements(shape);
            if (elements > limits.maxTensorElements()) {
                throw fail(what + " has " + (elements == Long.MAX_VALUE ? "more than " : "") + elements
                        + " elements (shape " + shape + "), over the limit of " + limits.maxTensorElements()
                        + " (maxTensorElements)");
            }
        }

        private void checkTotalBytes() {
            long total = 0;
            for (Tensor t : tensors.values()) {
                long bytes = saturatedElements(t.shape());
                bytes = bytes > Long.MAX_VALUE / t.dtype().bytes() ? Long.MAX_VALUE : bytes * t.dtype().bytes();
                total = bytes > Long.MAX_VALUE - total ? Long.MAX_VALUE : total + bytes;
            }
            if (total > limits.maxTotalBytes()) {
                throw fail("tensors total " + (total == Long.MAX_VALUE ? "more than " : "") + total
                        + " bytes, over the limit of " + limits.maxTotalBytes() + " bytes (maxTotalBytes)");
            }
        }

        private InvalidModelException fail(String what) {
            return new InvalidModelException("model '" + graph.name() + "': " + what);
        }
    }

    static long saturatedElements(List<Long> shape) {
        long n = 1;
        for (long d : shape) {
            if (d != 0 && n > Long.MAX_VALUE / d) {
                return Long.MAX_VALUE;
            }
            n *= d;
        }
        return n;
    }

    private static String roleName(Tensor t) {
        return t.role().name().toLowerCase(Locale.ROOT);
    }
}
