package dev.tessera.operators.graph;

import java.util.List;

/** Computes the output types of one op from its input types and attributes, or fails naming why. */
@FunctionalInterface
interface ShapeRule {
    List<TensorType> infer(OpContext node);
}
