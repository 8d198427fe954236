package dev.tessera.operators.graph;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One operation: an ONNX op type ({@code Conv}, {@code MatMul}, …), the names of its input and
 * output tensors in order, and its attributes, kept sorted by name so that iteration order (and so
 * every printed or hashed form) is defined.
 */
public record Node(String name, String opType, List<String> inputs, List<String> outputs,
        Map<String, Attribute> attributes) {
    public Node {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(opType, "opType");
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = Collections.unmodifiableSortedMap(new TreeMap<>(attributes));
    }
}
