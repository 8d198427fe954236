package dev.tessera.operators.lowering;

import java.util.Objects;

/**
 * A loop iterator with its bounds {@code lower <= name < upper}; the bounds may read iterators
 * declared before it. Printed in isl as the chain {@code 0 <= i < 128}.
 */
public record Iterator(String name, Expr lower, Expr upper) {
    public Iterator {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(lower, "lower");
        Objects.requireNonNull(upper, "upper");
    }

    /** {@code 0 <= name < extent}. */
    public static Iterator range(String name, long extent) {
        return new Iterator(name, Expr.constant(0), Expr.constant(extent));
    }

    @Override
    public String toString() {
        return lower + " <= " + name + " < " + upper;
    }
}
