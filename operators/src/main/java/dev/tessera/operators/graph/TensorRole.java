package dev.tessera.operators.graph;

/** What a tensor is to the model. */
public enum TensorRole {
    /** Fed by the caller at run time. */
    INPUT,
    /** A parameter (initializer): its values come from the weights, not from another node. */
    WEIGHT,
    /** Produced by one node and consumed by others inside the model. */
    ACTIVATION,
    /** Produced by one node and returned to the caller. */
    OUTPUT
}
