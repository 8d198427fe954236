package dev.tessera.operators.lowering;

import java.util.List;
import java.util.Objects;

/** An affine condition {@code lhs rel rhs} with {@code rel} one of {@code <=}, {@code <}, {@code =}. */
public record Constraint(Expr lhs, Relation relation, Expr rhs) {
    /** The comparison, with its isl spelling. */
    public enum Relation {
        LE("<="), LT("<"), EQ("=");

        private final String text;

        Relation(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    public Constraint {
        Objects.requireNonNull(lhs, "lhs");
        Objects.requireNonNull(relation, "relation");
        Objects.requireNonNull(rhs, "rhs");
    }

    public static Constraint le(Expr a, Expr b) {
        return new Constraint(a, Relation.LE, b);
    }

    public static Constraint lt(Expr a, Expr b) {
        return new Constraint(a, Relation.LT, b);
    }

    public static Constraint eq(Expr a, Expr b) {
        return new Constraint(a, Relation.EQ, b);
    }

    public boolean holds(List<String> names, long[] values) {
        long a = lhs.eval(names, values);
        long b = rhs.eval(names, values);
        return switch (relation) {
            case LE -> a <= b;
            case LT -> a < b;
            case EQ -> a == b;
        };
    }

    @Override
    public String toString() {
        return lhs + " " + relation.text() + " " + rhs;
    }
}
