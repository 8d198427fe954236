package dev.tessera.polyhedral;

import java.util.ArrayList;
import java.util.List;

/**
 * The space of a set or relation: parameter names, then either nothing (a parameter
 * domain {@code [N] -> { : N > 0 }}), one tuple (a set), or an input and an output
 * tuple (a relation). Column order everywhere in this library is
 * {@code [params | in | out | locals | constant]}; a set has no in columns.
 *
 * @param params parameter names, in the order of their columns
 * @param in the input tuple of a relation, or {@code null}
 * @param out the tuple of a set or the output tuple of a relation; {@code null} for a parameter domain
 */
public record Space(List<String> params, Tuple in, Tuple out) {
    public Space {
        params = List.copyOf(params);
        if (in != null && out == null) {
            throw new IllegalArgumentException("a relation needs an output tuple");
        }
    }

    public static Space set(List<String> params, Tuple tuple) {
        return new Space(params, null, tuple);
    }

    public static Space relation(List<String> params, Tuple in, Tuple out) {
        return new Space(params, in, out);
    }

    public static Space paramDomain(List<String> params) {
        return new Space(params, null, null);
    }

    public boolean isRelation() {
        return in != null;
    }

    public boolean isParamDomain() {
        return out == null;
    }

    public int nParam() {
        return params.size();
    }

    public int nIn() {
        return in == null ? 0 : in.arity();
    }

    public int nOut() {
        return out == null ? 0 : out.arity();
    }

    /** Number of non-parameter dimensions. */
    public int nDim() {
        return nIn() + nOut();
    }

    /** Same tuples (parameters are aligned separately). */
    public boolean sameTuples(Space o) {
        return java.util.Objects.equals(in, o.in) && java.util.Objects.equals(out, o.out)
                && isParamDomain() == o.isParamDomain();
    }

    public Space withParams(List<String> ps) {
        return new Space(ps, in, out);
    }

    public Space withTuples(Tuple newIn, Tuple newOut) {
        return new Space(params, newIn, newOut);
    }

    /** The parameter list of both spaces: this one's, then the other's new names. */
    public static List<String> mergeParams(List<String> a, List<String> b) {
        List<String> r = new ArrayList<>(a);
        for (String p : b) {
            if (!r.contains(p)) {
                r.add(p);
            }
        }
        return r;
    }
}
