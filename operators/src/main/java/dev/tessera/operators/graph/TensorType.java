package dev.tessera.operators.graph;

import java.util.List;
import java.util.Objects;

/**
 * The type of a tensor as shape inference sees it: its shape (row-major, outermost first) and its
 * element type.
 */
public record TensorType(List<Long> shape, DType dtype) {
    public TensorType {
        shape = List.copyOf(shape);
        Objects.requireNonNull(dtype, "dtype");
    }

    public int rank() {
        return shape.size();
    }
}
