package dev.tessera.operators.graph;

import java.util.List;
import java.util.Objects;

/**
 * A named tensor of the graph. {@code shape} is the list of dimension sizes (row-major, outermost
 * first; a scalar has an empty list), or {@code null} when it is not known yet and must be inferred.
 */
public record Tensor(String name, List<Long> shape, DType dtype, TensorRole role) {
    public Tensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(role, "role");
        shape = shape == null ? null : List.copyOf(shape);
    }

    public boolean hasShape() {
        return shape != null;
    }

    /** The number of elements; the shape must be known. */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public long bytes() {
        return Math.multiplyExact(elementCount(), dtype.bytes());
    }

    public Tensor withShape(List<Long> newShape) {
        return new Tensor(name, newShape, dtype, role);
    }
}
