package dev.tessera.polyhedral;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Operations on {@link UnionRelation}s, space by space: a binary operation combines the
 * parts whose tuples match (for {@code apply_range}: the output tuple of one and the input
 * tuple of the other), exactly like isl's union maps.
 */
public final class UnionOps {
    private UnionOps() {}

    public static UnionRelation map(UnionRelation u, UnaryOperator<Relation> f) {
        List<Relation> out = new ArrayList<>();
        for (Relation r : u.parts()) {
            out.add(f.apply(r));
        }
        return build(u.params(), out);
    }

    private static UnionRelation build(List<String> params, List<Relation> parts) {
        List<String> ps = new ArrayList<>(params);
        for (Relation r : parts) {
            ps = Space.mergeParams(ps, r.space().params());
        }
        return new UnionRelation(ps, parts);
    }

    public static UnionRelation intersect(UnionRelation x, UnionRelation y) {
        UnionRelation[] a = UnionRelation.align(x, y);
        List<Relation> out = new ArrayList<>();
        for (Relation r : a[0].parts()) {
            Relation o = a[1].part(r.space());
            if (o != null) {
                out.add(r.intersect(o));
            } else if (x.isSingleSpace() && y.isSingleSpace()) {
                out.add(Relation.empty(r.space()));
            }
        }
        return keepSpaceIfSingle(x, y, build(a[0].params(), out));
    }

    /** A single-space pair keeps its (possibly empty) space; unions drop empty parts. */
    private static UnionRelation keepSpaceIfSingle(UnionRelation x, UnionRelation y, UnionRelation r) {
        if (x.isSingleSpace() && y.isSingleSpace() && x.parts().get(0).space().sameTuples(y.parts().get(0).space())) {
            return r;
        }
        return r.nonEmptyParts();
    }

    public static UnionRelation union(UnionRelation x, UnionRelation y) {
        UnionRelation[] a = UnionRelation.align(x, y);
        List<Relation> out = new ArrayList<>(a[0].parts());
        out.addAll(a[1].parts());
        return build(a[0].params(), out);
    }

    public static UnionRelation subtract(UnionRelation x, UnionRelation y) {
        UnionRelation[] a = UnionRelation.align(x, y);
        List<Relation> out = new ArrayList<>();
        for (Relation r : a[0].parts()) {
            Relation o = a[1].part(r.space());
            out.add(o == null ? r.cleaned() : r.subtract(o));
        }
        return keepSpaceIfSingle(x, y, build(a[0].params(), out));
    }

    /**
     * The gist of {@code x} in {@code context}: {@code x} with what the context already says
     * removed, so that {@code G ∩ C = x ∩ C}. Pieces disjoint from the context are dropped, and
     * from each remaining piece {@code P} every constraint {@code c} for which
     * {@code (P without c) ∩ C ∩ ¬c} is empty, one after the other (each test on the piece as
     * it is at that moment, so the result stays exact). Example: the gist of
     * {@code { [i] : 0 <= i <= 10 and i mod 2 = 0 }} in {@code { [i] : i >= 0 }} is
     * {@code { [i] : i <= 10 and i mod 2 = 0 }}. A test that does not finish within
     * {@link #GIST_TEST_BUDGET} operations keeps its constraint (still a valid gist). Spaces
     * without context are kept as they are.
     */
    public static UnionRelation gist(UnionRelation x, UnionRelation context) {
        UnionRelation[] a = UnionRelation.align(x, context);
        List<Relation> out = new ArrayList<>();
        for (Relation r : a[0].parts()) {
            Relation c = a[1].part(r.space());
            if (c == null) {
                out.add(r);
                continue;
            }
            List<BasicRelation> keep = new ArrayList<>();
            for (BasicRelation b : r.pieces()) {
                if (!new Relation(r.space(), List.of(b)).intersect(c).isEmpty()) {
                    keep.add(withoutImpliedConstraints(r.space(), b, c));
                }
            }
            out.add(new Relation(r.space(), keep));
        }
        return build(a[0].params(), out);
    }

    /** Operations allowed for deciding whether one constraint of a gist is implied. */
    static final long GIST_TEST_BUDGET = 2_000_000L;

    private static BasicRelation withoutImpliedConstraints(Space space, BasicRelation b, Relation context) {
        List<long[]> eqs = new ArrayList<>(b.eqList());
        List<long[]> ineqs = new ArrayList<>(b.ineqList());
        for (boolean eq : new boolean[] {true, false}) {
            List<long[]> rows = eq ? eqs : ineqs;
            for (int i = 0; i < rows.size(); ) {
                long[] row = rows.remove(i);
                List<long[]> violations = new ArrayList<>();
                violations.add(strictlyNegative(row)); // row < 0
                if (eq) {
                    violations.add(strictlyNegative(Relation.negate(row))); // row > 0
                }
                boolean implied = true;
                for (long[] v : violations) {
                    List<long[]> in = new ArrayList<>(ineqs);
                    in.add(v);
                    BasicRelation other = new BasicRelation(b.nFixed(), eqs, in, b.localList());
                    implied &= impliedWithin(new Relation(space, List.of(other)), context);
                }
                if (!implied) {
                    rows.add(i, row);
                    i++;
                }
            }
        }
        return new BasicRelation(b.nFixed(), eqs, ineqs, b.localList());
    }

    /** {@code -row - 1 >= 0}, i.e. {@code row < 0}. */
    private static long[] strictlyNegative(long[] row) {
        long[] v = Relation.negate(row);
        v[v.length - 1] = ExactMath.sub(v[v.length - 1], 1);
        return v;
    }

    /** True when {@code violation ∩ context} is provably empty within the test budget. */
    private static boolean impliedWithin(Relation violation, Relation context) {
        try {
            return Budget.run(GIST_TEST_BUDGET, () -> violation.intersect(context).isEmpty());
        } catch (BudgetExceededException e) {
            return false;
        }
    }

    /** The parameter domain of all parts. */
    public static Relation params(UnionRelation u) {
        Relation p = Relation.empty(Space.paramDomain(u.params()));
        for (Relation r : u.parts()) {
            p = p.union(r.params());
        }
        return p.cleaned();
    }

    public static UnionRelation apply(UnionRelation s, UnionRelation m) {
        UnionRelation[] a = UnionRelation.align(s, m);
        List<Relation> out = new ArrayList<>();
        for (Relation set : a[0].parts()) {
            for (Relation rel : a[1].parts()) {
                if (set.space().out().equals(rel.space().in())) {
                    out.add(set.apply(rel));
                }
            }
        }
        return singleOrUnion(s, m, build(a[0].params(), out));
    }

    private static UnionRelation singleOrUnion(UnionRelation x, UnionRelation y, UnionRelation r) {
        return x.isSingleSpace() && y.isSingleSpace() && r.parts().size() == 1 ? r : r.nonEmptyParts();
    }

    public static UnionRelation applyRange(UnionRelation x, UnionRelation y) {
        UnionRelation[] a = UnionRelation.align(x, y);
        List<Relation> out = new ArrayList<>();
        for (Relation m1 : a[0].parts()) {
            for (Relation m2 : a[1].parts()) {
                if (m1.space().out().equals(m2.space().in())) {
                    out.add(m1.applyRange(m2));
                }
            }
        }
        return singleOrUnion(x, y, build(a[0].params(), out));
    }

    public static UnionRelation applyDomain(UnionRelation x, UnionRelation y) {
        UnionRelation[] a = UnionRelation.align(x, y);
        List<Relation> out = new ArrayList<>();
        for (Relation m1 : a[0].parts()) {
            for (Relation m2 : a[1].parts()) {
                if (m1.space().in().equals(m2.space().in())) {
                    out.add(m1.applyDomain(m2));
                }
            }
        }
        return singleOrUnion(x, y, build(a[0].params(), out));
    }

    public static UnionRelation intersectSide(UnionRelation m, UnionRelation s, boolean domain) {
        UnionRelation[] a = UnionRelation.align(m, s);
        List<Relation> out = new ArrayList<>();
        for (Relation r : a[0].parts()) {
            boolean matched = false;
            for (Relation set : a[1].parts()) {
                if ((domain ? r.space().in() : r.space().out()).equals(set.space().out())) {
                    out.add(domain ? r.intersectDomain(set) : r.intersectRange(set));
                    matched = true;
                }
            }
            if (!matched && m.isSingleSpace() && s.isSingleSpace()) {
                out.add(Relation.empty(r.space()));
            }
        }
        return singleOrUnion(m, s, build(a[0].params(), out));
    }

    /** {@code { x -> y : M1(x) lex< M2(y) }} over parts whose output tuples match. */
    public static UnionRelation lexLt(UnionRelation x, UnionRelation y) {
        UnionRelation[] a = UnionRelation.align(x, y);
        List<Relation> out = new ArrayList<>();
        for (Relation m1 : a[0].parts()) {
            for (Relation m2 : a[1].parts()) {
                if (m1.space().out().equals(m2.space().out())) {
                    Relation order = LexOrder.lessThan(m1.space().params(), m1.space().out());
                    out.add(m1.applyRange(order).applyRange(m2.reverse()));
                }
            }
        }
        return build(a[0].params(), out).nonEmptyParts(); // a union operation in isl: empty parts vanish
    }

    /** Single-valued as a whole: also parts with the same input tuple must not overlap in their domains. */
    public static boolean isSingleValued(UnionRelation u) {
        List<Relation> ps = u.parts();
        for (int i = 0; i < ps.size(); i++) {
            if (!ps.get(i).isSingleValued()) {
                return false;
            }
            for (int j = i + 1; j < ps.size(); j++) {
                if (ps.get(i).space().in().equals(ps.get(j).space().in())
                        && !ps.get(i).domain().isDisjoint(ps.get(j).domain())) {
                    return false;
                }
            }
        }
        return true;
    }
}
