package dev.tessera.polyhedral;

import java.util.Objects;

/**
 * A named tuple of a space: {@code S[i, j]} (flat, arity 2) or a wrapped pair
 * {@code [R[i] -> A[i]]} (arity = arity of both sides). Two tuples are the same
 * tuple when their names, arities and nesting agree; dimension names are not part
 * of a tuple (they are only printing).
 *
 * @param name the tuple name, or {@code null} for an anonymous tuple {@code [i]}
 * @param arity the number of dimensions
 * @param domain the left side of a wrapped tuple, or {@code null}
 * @param range the right side of a wrapped tuple, or {@code null}
 */
public record Tuple(String name, int arity, Tuple domain, Tuple range) {
    public Tuple {
        if (arity < 0) {
            throw new IllegalArgumentException("negative arity " + arity);
        }
        if ((domain == null) != (range == null)) {
            throw new IllegalArgumentException("a wrapped tuple needs both sides");
        }
        if (domain != null && domain.arity + range.arity != arity) {
            throw new IllegalArgumentException("wrapped tuple arity mismatch");
        }
    }

    /** A flat tuple {@code name[x0, ..., x(arity-1)]}. */
    public static Tuple of(String name, int arity) {
        return new Tuple(name, arity, null, null);
    }

    /** The wrapped tuple {@code name[domain -> range]}. */
    public static Tuple wrap(String name, Tuple domain, Tuple range) {
        return new Tuple(name, domain.arity + range.arity, domain, range);
    }

    public boolean isWrapped() {
        return domain != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tuple t && arity == t.arity && Objects.equals(name, t.name)
                && Objects.equals(domain, t.domain) && Objects.equals(range, t.range);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, arity, domain, range);
    }

    @Override
    public String toString() {
        String n = name == null ? "" : name;
        return isWrapped() ? n + "[" + domain + " -> " + range + "]" : n + "[" + arity + "]";
    }
}
