package dev.tessera.polyhedral;

import java.util.ArrayList;
import java.util.List;

/**
 * A union of {@link Relation}s over different spaces sharing one parameter list, e.g. the
 * schedule {@code { W[i] -> [0, i]; R[i] -> [1, i] }}. At most one relation per space; the
 * order is the order of first appearance, so printing is deterministic.
 */
public final class UnionRelation {
    private final List<String> params;
    private final List<Relation> parts;

    public UnionRelation(List<String> params, List<Relation> parts) {
        this.params = List.copyOf(params);
        List<Relation> merged = new ArrayList<>();
        for (Relation r : parts) {
            Relation a = r.alignParams(Space.mergeParams(params, r.space().params()));
            if (!a.space().params().equals(this.params)) {
                throw new IllegalArgumentException("parameters of a part not in the union's list");
            }
            int at = indexOf(merged, a.space());
            if (at >= 0) {
                merged.set(at, merged.get(at).union(a));
            } else {
                merged.add(a);
            }
        }
        this.parts = List.copyOf(merged);
    }

    private static int indexOf(List<Relation> rs, Space s) {
        for (int i = 0; i < rs.size(); i++) {
            if (rs.get(i).space().sameTuples(s)) {
                return i;
            }
        }
        return -1;
    }

    public static UnionRelation of(Relation r) {
        return new UnionRelation(r.space().params(), List.of(r));
    }

    public List<String> params() {
        return params;
    }

    public List<Relation> parts() {
        return parts;
    }

    /** The part in the given space (by tuples), or {@code null}. */
    public Relation part(Space s) {
        int i = indexOf(parts, s);
        return i < 0 ? null : parts.get(i);
    }

    public boolean isSingleSpace() {
        return parts.size() == 1;
    }

    /** True when every part is a set (or a parameter domain). */
    public boolean isSetKind() {
        for (Relation r : parts) {
            if (r.space().isRelation()) {
                return false;
            }
        }
        return true;
    }

    /** Both unions over a common parameter list. */
    public static UnionRelation[] align(UnionRelation a, UnionRelation b) {
        List<String> ps = Space.mergeParams(a.params, b.params);
        return new UnionRelation[] {a.withParams(ps), b.withParams(ps)};
    }

    public UnionRelation withParams(List<String> ps) {
        List<Relation> out = new ArrayList<>();
        for (Relation r : parts) {
            out.add(r.alignParams(ps));
        }
        return new UnionRelation(ps, out);
    }

    /** Drops parts without points. */
    public UnionRelation nonEmptyParts() {
        List<Relation> out = new ArrayList<>();
        for (Relation r : parts) {
            if (!r.isEmpty()) {
                out.add(r);
            }
        }
        return new UnionRelation(params, out);
    }

    @Override
    public String toString() {
        return dev.tessera.polyhedral.text.IslPrinter.print(this);
    }
}
