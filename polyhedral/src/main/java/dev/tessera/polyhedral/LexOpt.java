package dev.tessera.polyhedral;

import dev.tessera.polyhedral.text.IslPrinter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
        Long best = null;
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
     * The exact integer bounding box of a parameter-free set: per dimension the integer minimum
     * and maximum over all points, or empty when the set is empty or unbounded in some
     * dimension. Example: {@code { S[i] : 0 <= i <= 6 and i mod 4 = 2 }} has the box
     * {@code [2, 6]}.
     */
    public static Optional<IntegerBox> integerBoundingBox(Relation s) {
        requireParameterFreeSet(s, "integerBoundingBox");
        int n = s.space().nOut();
        long[] lo = null;
        long[] hi = null;
        for (BasicRelation b : s.pieces()) {
            if (!Omega.isSatisfiable(b)) {
                continue;
            }
            boolean first = lo == null;
            if (first) {
                lo = new long[n];
                hi = new long[n];
            }
            for (int d = 0; d < n; d++) {
                try {
                    long l = Optimizer.integerMin(b, unit(b, d, 1));
                    long h = ExactMath.neg(Optimizer.integerMin(b, unit(b, d, -1)));
                    lo[d] = first ? l : ExactMath.min(lo[d], l);
                    hi[d] = first ? h : ExactMath.max(hi[d], h);
                } catch (Optimizer.UnboundedException e) {
                    return Optional.empty();
                }
            }
        }
        return lo == null ? Optional.empty() : Optional.of(new IntegerBox(lo, hi));
    }

    /** An integer box {@code lower[d] <= x_d <= upper[d]}, both bounds inclusive ({@link ExactMath} codes). */
    public record IntegerBox(long[] lower, long[] upper) {
        public IntegerBox {
            lower = lower.clone();
            upper = upper.clone();
        }

        @Override
        public long[] lower() {
            return lower.clone();
        }

        @Override
        public long[] upper() {
            return upper.clone();
        }
    }

    /**
     * isl's <em>simple fixed box hull</em> of a parameter-free set
     * ({@code isl_set_get_simple_fixed_box_hull}), printed as isl prints it. It is a box that
     * contains the set, but not the smallest one: per dimension {@code x} the offset is a lower
     * bound that appears among the set's constraints on {@code x} (after the other dimensions
     * are projected out), and the size is {@code max x - offset + 1} with the exact integer
     * maximum. Lower bounds are not tightened to the stride of {@code x}, so the offset is the
     * rational minimum of {@code x} rounded up, {@code ⌈min_ℚ x⌉}, computed over the rational
     * relaxation of each disjunct (existentials and divisions relaxed, rows gcd-tightened as
     * isl tightens its constraints); over a union the smallest offset and the largest maximum
     * are taken. If the set is empty, or some dimension has no lower bound or no maximum,
     * isl gives up: every offset is {@code NaN} and every size {@code infty}.
     *
     * <p>Example: {@code { S[i] : 0 <= i <= 6 and exists e : i = 4e + 2 }} (points 2 and 6)
     * has the offset {@code 0} (from {@code i >= 0}) and the size {@code 6 - 0 + 1 = 7}:
     * {@code { offset: "{ S[(0)] }", size: "{ S[7] }" }}, where the exact integer box is
     * {@code [2, 6]} ({@link #integerBoundingBox}).
     */
    public static String simpleFixedBoxHull(Relation s) {
        requireParameterFreeSet(s, "box");
        int n = s.space().nOut();
        long[] off = new long[n]; // codes, set from the first non-empty piece
        long[] max = new long[n];
        boolean valid = false;
        for (BasicRelation b : s.pieces()) {
            if (!Omega.isSatisfiable(b)) {
                continue;
            }
            boolean first = !valid;
            valid = true;
            long[] min = new long[n];
            long[] top = new long[n];
            try {
                for (int d = 0; d < n; d++) {
                    min[d] = Optimizer.integerMin(b, unit(b, d, 1));
                    top[d] = ExactMath.neg(Optimizer.integerMin(b, unit(b, d, -1)));
                }
            } catch (Optimizer.UnboundedException e) {
                valid = false;
                break;
            }
            BasicRelation hull = b;
            for (int d = 0; d < n; d++) {
                if (min[d] == top[d]) {
                    hull = Optimizer.fix(hull, d, min[d]);
                }
            }
            for (int d = 0; d < n; d++) {
                Long lower = min[d] == top[d] ? Long.valueOf(min[d]) : Optimizer.rationalLowerBound(hull, unit(hull, d, 1));
                if (lower == null) {
                    valid = false;
                    break;
                }
                off[d] = first ? lower : ExactMath.min(off[d], lower);
                max[d] = first ? top[d] : ExactMath.max(max[d], top[d]);
            }
            if (!valid) {
                break;
            }
        }
        String name = s.space().out().name() == null ? "" : s.space().out().name();
        List<String> offsets = new ArrayList<>();
        List<String> sizes = new ArrayList<>();
        for (int d = 0; d < n; d++) {
            offsets.add(valid ? "(" + ExactMath.toString(off[d]) + ")" : "NaN");
            sizes.add(valid ? ExactMath.toString(ExactMath.add(ExactMath.sub(max[d], off[d]), 1)) : "infty");
        }
        String offset = valid ? "{ " + name + "[" + String.join(", ", offsets) + "] }"
                : "{ [] -> " + name + "[" + String.join(", ", offsets) + "] }";
        return "{ offset: \"" + offset + "\", size: \"{ " + name + "[" + String.join(", ", sizes) + "] }\" }";
    }

    private static void requireParameterFreeSet(Relation s, String op) {
        if (s.space().isRelation() || s.space().isParamDomain()) {
            throw new IllegalArgumentException(op + " needs a set");
        }
        if (s.space().nParam() > 0) {
            throw new IllegalArgumentException("parametric input (" + op + " needs fixed parameters)");
        }
    }

    /** The objective {@code sign · x_d} over the columns of {@code b}. */
    private static long[] unit(BasicRelation b, int d, long sign) {
        long[] obj = new long[b.nCols() + 1];
        obj[d] = sign;
        return obj;
    }
}
