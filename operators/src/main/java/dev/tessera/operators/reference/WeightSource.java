package dev.tessera.operators.reference;

import java.util.List;

/**
 * The values of a graph's {@link dev.tessera.operators.graph.TensorRole#WEIGHT} tensors, kept apart
 * from the graph: the graph IR references weights by name and never holds their data, so a compiler
 * stage can work on shapes alone while an interpreter reads the values it needs, one tensor at a time.
 *
 * <p>Implementations read lazily (from the model file, say): {@link #read} may do I/O and returns a
 * fresh array the caller owns. Integer weights (Gather indices, say) are returned as their float
 * values, exact up to 2^24.
 */
public interface WeightSource {
    /** The weight names, in a defined order. */
    List<String> names();

    boolean contains(String name);

    /** The values of weight {@code name} in row-major order; its length is the tensor's element count. */
    float[] read(String name);

    /** No weights at all: for graphs whose every constant is an attribute. */
    WeightSource EMPTY = new WeightSource() {
        @Override
        public List<String> names() {
            return List.of();
        }

        @Override
        public boolean contains(String name) {
            return false;
        }

        @Override
        public float[] read(String name) {
            throw new IllegalArgumentException("no weight named '" + name + "'");
        }
    };
}
