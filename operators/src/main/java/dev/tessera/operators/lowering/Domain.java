package dev.tessera.operators.lowering;

import java.util.ArrayList;
import java.util.List;

/**
 * The iteration domain of a statement: iterators, each bounded by affine expressions of the ones
 * before it (so every domain is bounded by construction), and further affine constraints. Boundary
 * tiles are exact: a dimension of 200 split in tiles of 128 is
 * {@code 0 <= t < 2 and 0 <= i < 128 and 128t + i < 200}, never padded to 256.
 *
 * <p>isl text: {@code { S[t, i] : 0 <= t < 2 and 0 <= i < 128 and 128t + i < 200 }} (bounds in
 * iterator order first, then the constraints).
 */
public record Domain(List<Iterator> iterators, List<Constraint> constraints) {
    public Domain {
        iterators = List.copyOf(iterators);
        constraints = List.copyOf(constraints);
        List<String> seen = new ArrayList<>();
        for (Iterator it : iterators) {
            if (seen.contains(it.name())) {
                throw new IllegalArgumentException("iterator '" + it.name() + "' declared twice");
            }
            for (String v : it.lower().plus(it.upper()).variables()) {
                if (!seen.contains(v)) {
                    throw new IllegalArgumentException("bound of iterator '" + it.name() + "' reads '" + v
                            + "', which is not an earlier iterator");
                }
            }
            seen.add(it.name());
        }
        for (Constraint c : constraints) {
            for (String v : c.lhs().plus(c.rhs()).variables()) {
                if (!seen.contains(v)) {
                    throw new IllegalArgumentException("constraint " + c + " reads unknown iterator '" + v + "'");
                }
            }
        }
    }

    public List<String> names() {
        List<String> out = new ArrayList<>(iterators.size());
        for (Iterator it : iterators) {
            out.add(it.name());
        }
        return out;
    }

    public int dims() {
        return iterators.size();
    }

    /** The tuple {@code S[i, j]}. */
    public String tuple(String statement) {
        return statement + "[" + String.join(", ", names()) + "]";
    }

    /** The conjunction of bounds and constraints, {@code 0 <= i < 4 and i + j < 7}; empty when there are none. */
    public String conditions() {
        List<String> parts = new ArrayList<>();
        for (Iterator it : iterators) {
            parts.add(it.toString());
        }
        for (Constraint c : constraints) {
            parts.add(c.toString());
        }
        return String.join(" and ", parts);
    }

    /** isl text of the domain of statement {@code statement}. */
    public String isl(String statement) {
        String cond = conditions();
        return "{ " + tuple(statement) + (cond.isEmpty() ? "" : " : " + cond) + " }";
    }

    /** Calls {@code visitor} with every point, in lexicographic order of the iterators. */
    public void forEachPoint(java.util.function.Consumer<long[]> visitor) {
        List<String> names = names();
        long[] point = new long[iterators.size()];
        walk(0, names, point, visitor);
    }

    private void walk(int depth, List<String> names, long[] point, java.util.function.Consumer<long[]> visitor) {
        if (depth == iterators.size()) {
            for (Constraint c : constraints) {
                if (!c.holds(names, point)) {
                    return;
                }
            }
            visitor.accept(point.clone());
            return;
        }
        Iterator it = iterators.get(depth);
        long lo = it.lower().eval(names, point);
        long hi = it.upper().eval(names, point);
        for (long v = lo; v < hi; v++) {
            point[depth] = v;
            walk(depth + 1, names, point, visitor);
        }
        point[depth] = 0;
    }
}
