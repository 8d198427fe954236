package dev.tessera.operators.lowering;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A read or write of a buffer: the element each statement instance touches, one quasi-affine
 * index per buffer dimension. A <em>may</em>-read (a data-dependent read, such as a Gather of a
 * table row chosen by an index value) names fresh output variables in {@code dataDependent}, each
 * bounded by its dimension, so the relation covers every element the read may touch.
 *
 * <p>isl text: {@code { S[i, j] -> x_sb[i, 2j + 1] }}; a may-read of a table:
 * {@code { G[p, j] -> table[row, j] : 0 <= row < 30522 }}. The statement's domain constraints
 * apply implicitly (see {@link #isl(String, Domain)} for the full relation).
 */
public record Access(String buffer, List<Expr> indices, List<Iterator> dataDependent, boolean may) {
    public Access {
        Objects.requireNonNull(buffer, "buffer");
        indices = List.copyOf(indices);
        dataDependent = List.copyOf(dataDependent);
        if (may != !dataDependent.isEmpty()) {
            throw new IllegalArgumentException("access to '" + buffer + "': a may-access and only it has"
                    + " data-dependent indices");
        }
    }

    public static Access of(String buffer, List<Expr> indices) {
        return new Access(buffer, indices, List.of(), false);
    }

    public static Access of(String buffer, Expr... indices) {
        return of(buffer, List.of(indices));
    }

    /** The relation as the loop IR text shows it: {@code { S[i] -> b[i + 1] }}. */
    public String text(String statement, Domain domain) {
        StringBuilder sb = new StringBuilder("{ ").append(domain.tuple(statement)).append(" -> ").append(target());
        if (!dataDependent.isEmpty()) {
            List<String> parts = new ArrayList<>();
            for (Iterator it : dataDependent) {
                parts.add(it.toString());
            }
            sb.append(" : ").append(String.join(" and ", parts));
        }
        return sb.append(" }").toString();
    }

    /** The full relation in isl text, the domain's constraints included. */
    public String isl(String statement, Domain domain) {
        List<String> parts = new ArrayList<>();
        String cond = domain.conditions();
        if (!cond.isEmpty()) {
            parts.add(cond);
        }
        for (Iterator it : dataDependent) {
            parts.add(it.toString());
        }
        return "{ " + domain.tuple(statement) + " -> " + target()
                + (parts.isEmpty() ? "" : " : " + String.join(" and ", parts)) + " }";
    }

    private String target() {
        List<String> idx = new ArrayList<>();
        for (Expr e : indices) {
            idx.add(e.toString());
        }
        return buffer + "[" + String.join(", ", idx) + "]";
    }
}
