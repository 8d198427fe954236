package dev.tessera.operators.lowering;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A quasi-affine integer expression: a constant plus integer multiples of atoms, where an atom is
 * an iterator name or {@code floor(e / d)} of another quasi-affine expression by a positive
 * constant. Terms keep the order they were first added in (so a printed and re-parsed expression
 * prints the same), equal atoms are merged, and zero terms dropped.
 *
 * <p>Printed in isl syntax: {@code 128t + i - 1}, {@code -2i}, {@code 3*floor((i + 1)/4)}.
 * A modulo is built as {@code e - d*floor(e/d)} ({@link #mod}), which isl reads unchanged.
 */
public final class Expr {
    /** An atom: an iterator, or the floor of a quotient. */
    sealed interface Atom permits Var, FloorDiv {}

    record Var(String name) implements Atom {}

    record FloorDiv(Expr numerator, long divisor) implements Atom {}

    private final Map<Atom, Long> terms;
    private final long constant;

    private Expr(Map<Atom, Long> terms, long constant) {
        this.terms = terms;
        this.constant = constant;
    }

    public static Expr constant(long c) {
        return new Expr(Map.of(), c);
    }

    public static Expr var(String name) {
        return new Expr(Map.of(new Var(name), 1L), 0);
    }

    /** {@code floor(e / d)} for a positive {@code d}; a constant {@code e} folds. */
    public static Expr floorDiv(Expr e, long d) {
        if (d <= 0) {
            throw new IllegalArgumentException("divisor must be positive, got " + d);
        }
        if (d == 1) {
            return e;
        }
        if (e.isConstant()) {
            return constant(Math.floorDiv(e.constant, d));
        }
        return new Expr(Map.of(new FloorDiv(e, d), 1L), 0);
    }

    /** {@code e mod d} as {@code e - d*floor(e/d)}. */
    public static Expr mod(Expr e, long d) {
        return e.minus(floorDiv(e, d).times(d));
    }

    public Expr plus(Expr o) {
        LinkedHashMap<Atom, Long> m = new LinkedHashMap<>(terms);
        for (Map.Entry<Atom, Long> t : o.terms.entrySet()) {
            m.merge(t.getKey(), t.getValue(), Math::addExact);
        }
        m.values().removeIf(v -> v == 0);
        return new Expr(java.util.Collections.unmodifiableMap(m), Math.addExact(constant, o.constant));
    }

    public Expr plus(long c) {
        return new Expr(terms, Math.addExact(constant, c));
    }

    public Expr minus(Expr o) {
        return plus(o.times(-1));
    }

    public Expr times(long c) {
        if (c == 0) {
            return constant(0);
        }
        LinkedHashMap<Atom, Long> m = new LinkedHashMap<>();
        for (Map.Entry<Atom, Long> t : terms.entrySet()) {
            m.put(t.getKey(), Math.multiplyExact(t.getValue(), c));
        }
        return new Expr(java.util.Collections.unmodifiableMap(m), Math.multiplyExact(constant, c));
    }

    /** The terms, atom to coefficient, in the order they were first added (read-only). */
    Map<Atom, Long> terms() {
        return terms;
    }

    public boolean isConstant() {
        return terms.isEmpty();
    }

    public long constantTerm() {
        return constant;
    }

    /** The names of the iterators this expression reads, including inside floors, in order. */
    public List<String> variables() {
        List<String> out = new ArrayList<>();
        collect(out);
        return out;
    }

    private void collect(List<String> out) {
        for (Atom a : terms.keySet()) {
            if (a instanceof Var v) {
                if (!out.contains(v.name())) {
                    out.add(v.name());
                }
            } else {
                ((FloorDiv) a).numerator().collect(out);
            }
        }
    }

    /** The value at a point: {@code values[i]} is the value of iterator {@code names[i]}. */
    public long eval(List<String> names, long[] values) {
        long v = constant;
        for (Map.Entry<Atom, Long> t : terms.entrySet()) {
            long a;
            if (t.getKey() instanceof Var var) {
                int i = names.indexOf(var.name());
                if (i < 0) {
                    throw new IllegalArgumentException("expression " + this + " reads unknown iterator '" + var.name() + "'");
                }
                a = values[i];
            } else {
                FloorDiv f = (FloorDiv) t.getKey();
                a = Math.floorDiv(f.numerator().eval(names, values), f.divisor());
            }
            v += t.getValue() * a;
        }
        return v;
    }

    /** This expression with iterator {@code name} replaced by {@code by}. */
    public Expr substitute(String name, Expr by) {
        Expr out = constant(constant);
        for (Map.Entry<Atom, Long> t : terms.entrySet()) {
            Expr atom;
            if (t.getKey() instanceof Var v) {
                atom = v.name().equals(name) ? by : var(v.name());
            } else {
                FloorDiv f = (FloorDiv) t.getKey();
                atom = floorDiv(f.numerator().substitute(name, by), f.divisor());
            }
            out = out.plus(atom.times(t.getValue()));
        }
        return out;
    }

    /** isl syntax. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Atom, Long> t : terms.entrySet()) {
            long c = t.getValue();
            if (sb.length() == 0) {
                if (c < 0) {
                    sb.append('-');
                }
            } else {
                sb.append(c < 0 ? " - " : " + ");
            }
            long a = Math.abs(c);
            if (t.getKey() instanceof Var v) {
                if (a != 1) {
                    sb.append(a);
                }
                sb.append(v.name());
            } else {
                FloorDiv f = (FloorDiv) t.getKey();
                if (a != 1) {
                    sb.append(a).append('*');
                }
                sb.append("floor((").append(f.numerator()).append(")/").append(f.divisor()).append(')');
            }
        }
        if (sb.length() == 0) {
            return Long.toString(constant);
        }
        if (constant != 0) {
            sb.append(constant < 0 ? " - " : " + ").append(Math.abs(constant));
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Expr e && e.constant == constant && e.terms.equals(terms)
                && List.copyOf(e.terms.keySet()).equals(List.copyOf(terms.keySet()));
    }

    @Override
    public int hashCode() {
        return Objects.hash(terms, constant);
    }
}
