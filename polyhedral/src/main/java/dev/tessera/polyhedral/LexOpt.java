package dev.tessera.polyhedral;

import dev.tessera.polyhedral.text.IslPrinter;
import java.util.ArrayList;
import java.util.List;

/**
 * Lexicographic optima, samples and optima of affine functions.
 *
 * <p>For a parameter-free set the optimum is found coordinate by coordinate with
 * {@link Optimizer#integerMin}. For a relation (or a set with parameters) the optimum per
 * domain element is computed exactly as a set difference:
 * {@code lexmin R = R \ { x -> y : ∃ y' : x -> y' ∈ R ∧ y' lex< y }}; if some domain element
 * loses all its images the optimum is unbounded there and the call fails, as in isl.
 */
public final class LexOpt {
    private LexOpt() {}

    public static Relation lexOpt(Relation r, boolean max) {
        Space s = r.space();
        if (s.isParamDomain()) {
            return r;
        }
        if (!s.isRelation() && s.nParam() == 0) {
            long[] pt = Optimizer.lexOptPoint(r, max);
            return pt == null ? Relation.empty(s) : point(s, pt);
        }
        int prefix = s.nParam() + s.nIn();
        int ny = s.nOut();
        int nf = prefix + 2 * ny;
        int[] to = new int[prefix + ny];
        for (int i = 0; i < prefix; i++) {
            to[i] = i;
        }
        for (int i = 0; i < ny; i++) {
            to[prefix + i] = prefix + ny + i; // the competitor y'
        }
        List<BasicRelation> dominated = new ArrayList<>();
        for (BasicRelation b : r.pieces()) {
            BasicRelation c = b.remap(nf, to, 0);
            for (int level = 0; level < ny; level++) {
                List<long[]> eqs = new ArrayList<>();
                for (int k = 0; k < level; k++) {
                    long[] row = new long[c.nCols() + 1];
                    row[prefix + k] = 1;
                    row[prefix + ny + k] = -1;
                    eqs.add(row);
                }
                long[] less = new long[c.nCols() + 1]; // min: y_l - y'_l - 1 >= 0; max: y'_l - y_l - 1 >= 0
                less[prefix + level] = max ? -1 : 1;
                less[prefix + ny + level] = max ? 1 : -1;
                less[c.nCols()] = -1;
                dominated.add(c.withConstraints(eqs, List.<long[]>of(less)).projectOut(prefix + ny, ny));
            }
        }
        Relation opt = r.subtract(new Relation(s, dominated));
        Relation before = s.isRelation() ? r.domain() : r.params();
        Relation after = s.isRelation() ? opt.domain() : opt.params();
        if (!before.isSubset(after)) {
            throw new Optimizer.UnboundedException();
        }
        return opt;
    }

    static Relation point(Space s, long[] values) {
        int np = s.nParam();
        int nf = np + values.length;
        List<long[]> eqs = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            long[] row = new long[nf + 1];
            row[np + i] = 1;
            row[nf] = ExactMath.neg(values[i]);
            eqs.add(row);
        }
        return new Relation(s, List.of(new BasicRelation(nf, eqs, List.of(), List.of())));
    }

    /** Some point of the union (relations as wrapped pairs) in isl point syntax, or {@code empty}. */
    public static String sample(UnionRelation u) {
        for (Relation r : u.parts()) {
            if (r.space().nParam() > 0) {
                throw new IllegalArgumentException("parametric input (sample needs fixed parameters)");
            }
            for (BasicRelation b : r.pieces()) {
                long[] pt = Optimizer.samplePoint(b);
                if (pt != null) {
                    Relation set = r.space().isRelation() ? r.wrap() : r;
                    return IslPrinter.point(set.space(), pt);
                }
            }
        }
        return "empty";
    }

    /**
     * The minimum or maximum of a one-output affine function {@code fn} over set {@code s}:
     * an integer, {@code infty}, {@code -infty}, or {@code NaN} for an empty set.
     */
    public static String optimum(Relation s, UnionRelation fn, boolean max) {
        if (!fn.isSingleSpace() || !fn.parts().get(0).space().isRelation() || fn.parts().get(0).space().nOut() != 1) {
            throw new IllegalArgumentException("the function must be one relation with one output, e.g. { [i] -> [(2i)] }");
        }
        Relation f = fn.parts().get(0);
        if (f.space().nIn() != s.space().nOut()) {
            throw new IllegalArgumentException("the function's domain does not match the set");
        }
        if (s.space().nParam() > 0 || f.space().nParam() > 0) {
            throw new IllegalArgumentException("parametric input (" + (max ? "max" : "min") + " needs fixed parameters)");
        }
        Relation g = new Relation(Space.relation(List.of(), s.space().out(), f.space().out()), f.pieces());
        Relation image = s.apply(g);
        Long best = null; // a code
        for (BasicRelation b : image.pieces()) {
            if (!Omega.isSatisfiable(b)) {
                continue;
            }
            long[] obj = new long[b.nCols() + 1];
            obj[0] = max ? -1 : 1;
            long m;
            try {
                m = Optimizer.integerMin(b, obj);
            } catch (Optimizer.UnboundedException e) {
                return max ? "infty" : "-infty";
            }
            long v = max ? ExactMath.neg(m) : m;
            if (best == null || ExactMath.compare(v, best) * (max ? 1 : -1) > 0) {
                best = v;
            }
        }
        return best == null ? "NaN" : ExactMath.toString(best);
    }

    /**
     * isl's simple fixed box hull of a parameter-free set, as isl prints it: per dimension the
     * integer minimum (offset) and {@code max - min + 1} (size), e.g.
     * {@code { offset: "{ S[(1), (-6)] }", size: "{ S[2, 7] }" }}; when the set is empty or some
     * dimension is unbounded, every entry is {@code NaN} / {@code infty}.
     */
    public static String box(Relation s) {
        if (s.space().isRelation() || s.space().isParamDomain()) {
            throw new IllegalArgumentException("box needs a set");
        }
        if (s.space().nParam() > 0) {
            throw new IllegalArgumentException("parametric input (box needs fixed parameters)");
        }
        int n = s.space().nOut();
        long[] lo = null; // codes, set from the first non-empty piece
        long[] hi = null;
        boolean bounded = true;
        for (BasicRelation b : s.pieces()) {
            if (!Omega.isSatisfiable(b)) {
                continue;
            }
            boolean first = lo == null;
            if (first) {
                lo = new long[n];
                hi = new long[n];
            }
            for (int d = 0; d < n && bounded; d++) {
                long[] obj = new long[b.nCols() + 1];
                obj[d] = 1;
                try {
                    long l = Optimizer.integerMin(b, obj);
                    lo[d] = first ? l : ExactMath.min(lo[d], l);
                    obj[d] = -1;
                    long h = ExactMath.neg(Optimizer.integerMin(b, obj));
                    hi[d] = first ? h : ExactMath.max(hi[d], h);
                } catch (Optimizer.UnboundedException e) {
                    bounded = false;
                }
            }
        }
        String name = s.space().out().name() == null ? "" : s.space().out().name();
        List<String> off = new ArrayList<>();
        List<String> size = new ArrayList<>();
        for (int d = 0; d < n; d++) {
            boolean known = lo != null && bounded;
            off.add(known ? "(" + ExactMath.toString(lo[d]) + ")" : "NaN");
            size.add(known ? ExactMath.toString(ExactMath.add(ExactMath.sub(hi[d], lo[d]), 1)) : "infty");
        }
        String offset = lo != null && bounded ? "{ " + name + "[" + String.join(", ", off) + "] }"
                : "{ [] -> " + name + "[" + String.join(", ", off) + "] }";
        return "{ offset: \"" + offset + "\", size: \"{ " + name + "[" + String.join(", ", size) + "] }\" }";
    }
}
