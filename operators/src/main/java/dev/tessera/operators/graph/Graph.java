package dev.tessera.operators.graph;

import java.util.List;
import java.util.Objects;

/**
 * An immutable model graph: tensors in declaration order and nodes in a topological order.
 * Construction checks nothing beyond non-null parts; {@code GraphValidator} checks the rest.
 */
public record Graph(String name, List<Tensor> tensors, List<Node> nodes) {
    public Graph {
        Objects.requireNonNull(name, "name");
        tensors = List.copyOf(tensors);
        nodes = List.copyOf(nodes);
    }
}
