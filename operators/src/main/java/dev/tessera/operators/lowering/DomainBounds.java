package dev.tessera.operators.lowering;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sound bounds of quasi-affine expressions over one statement's domain, without a Presburger
 * question: every value an expression takes at a point of the domain lies in {@code [min, max]} as
 * computed here (the converse need not hold, so a bound proves a property but its failure proves
 * nothing). The {@link LoopVerifier} accepts what these bounds prove and asks the library's exact
 * question only for the rest.
 *
 * <p>Math. Each iterator gets an interval from its bounds evaluated, in interval arithmetic, over
 * the iterators before it ({@code floor(n/d)} maps {@code [a, b]} to
 * {@code [⌊a/d⌋, ⌊b/d⌋]}). Every constraint, written {@code c(x) ≤ 0} (a strict {@code <} as
 * {@code c + 1 ≤ 0}, an equality as {@code c = 0}), then tightens each variable {@code v} in it:
 * {@code a_v·v ≤ −min(c − a_v·v)}, three rounds. An expression's maximum is the least of its
 * interval maximum and, for every constraint sharing an atom with it, {@code max(e − λ·c)} with
 * {@code λ = e_v / c_v} an integer ({@code λ ≥ 0} for an inequality): valid because
 * {@code λ·c ≤ 0} (or {@code = 0}) on the domain, so {@code e ≤ e − λ·c}. The minimum is
 * {@code −max(−e)}. Interval bounds that cross ({@code lo > hi}) prove the domain empty.
 *
 * <p>Example: over {@code { S[t, p] : 0 <= t < 2 and 0 <= p < 128 and 128t + p < 200 }} intervals
 * alone give {@code 128t + p ∈ [0, 255]}; the constraint {@code 128t + p − 199 ≤ 0} with
 * {@code λ = 1} leaves {@code max(199) = 199}, so an access {@code b[128t + p]} fits a buffer of
 * 200 elements.
 *
 * <p>Arithmetic is exact: an overflow makes the query unable to prove anything ({@code null} or
 * {@code false}), never wrong.
 */
final class DomainBounds {
    private static final int ROUNDS = 3;

    private final Map<String, long[]> ranges = new LinkedHashMap<>();
    /** Constraints {@code c ≤ 0}. */
    private final List<Expr> nonPositive = new ArrayList<>();
    /** Constraints {@code c = 0}. */
    private final List<Expr> zero = new ArrayList<>();
    private boolean overflow;
    private boolean empty;

    private DomainBounds() {}

    /** Bounds over {@code domain} extended by {@code extra} iterators (the fresh indices of a may-access). */
    static DomainBounds of(Domain domain, List<Iterator> extra) {
        DomainBounds b = new DomainBounds();
        List<Iterator> all = new ArrayList<>(domain.iterators());
        all.addAll(extra);
        try {
            for (Iterator it : all) {
                long lo = b.range(it.lower())[0];
                long hi = Math.subtractExact(b.range(it.upper())[1], 1);
                b.ranges.put(it.name(), new long[] {lo, hi});
                Expr v = Expr.var(it.name());
                b.nonPositive.add(it.lower().minus(v));
                b.nonPositive.add(v.minus(it.upper()).plus(1));
            }
            for (Constraint c : domain.constraints()) {
                Expr diff = c.lhs().minus(c.rhs());
                switch (c.relation()) {
                    case LE -> b.nonPositive.add(diff);
                    case LT -> b.nonPositive.add(diff.plus(1));
                    case EQ -> b.zero.add(diff);
                }
            }
            for (int round = 0; round < ROUNDS && !b.empty; round++) {
                for (Expr c : b.nonPositive) {
                    b.tighten(c);
                }
                for (Expr c : b.zero) {
                    b.tighten(c);
                    b.tighten(c.times(-1));
                }
            }
        } catch (ArithmeticException e) {
            b.overflow = true;
        }
        return b;
    }

    static DomainBounds of(Domain domain) {
        return of(domain, List.of());
    }

    /**
     * Whether every iterator got a finite interval: a proof that the domain is bounded (or, when the
     * intervals cross, empty). False only when the arithmetic overflowed.
     */
    boolean provesBounded() {
        return !overflow;
    }

    /** Whether the bounds prove that the domain has no point. */
    boolean provesEmpty() {
        return !overflow && empty;
    }

    /** {@code [min, max]} of {@code e} over the domain, or null when the bounds cannot tell (overflow, empty domain). */
    long[] bounds(Expr e) {
        if (overflow || empty) {
            return null;
        }
        try {
            return new long[] {-max(e.times(-1)), max(e)};
        } catch (ArithmeticException x) {
            return null;
        }
    }

    /** Whether {@code lo <= e <= hi} at every point of the domain is proved. */
    boolean proves(Expr e, long lo, long hi) {
        if (provesEmpty()) {
            return true;
        }
        long[] b = bounds(e);
        return b != null && b[0] >= lo && b[1] <= hi;
    }

    /**
     * Tightens every variable of {@code c ≤ 0} by the least value of the rest of {@code c} (the
     * sum of the other terms' least values, computed once; a term's value only loosens as other
     * variables tighten, so these stay valid).
     */
    private void tighten(Expr c) {
        Map<Expr.Atom, Long> terms = c.terms();
        long[] least = new long[terms.size()];
        long total = c.constantTerm();
        int i = 0;
        for (Map.Entry<Expr.Atom, Long> t : terms.entrySet()) {
            long[] r = atomRange(t.getKey());
            least[i] = Math.min(Math.multiplyExact(t.getValue(), r[0]), Math.multiplyExact(t.getValue(), r[1]));
            total = Math.addExact(total, least[i]);
            i++;
        }
        i = 0;
        for (Map.Entry<Expr.Atom, Long> t : terms.entrySet()) {
            if (t.getKey() instanceof Expr.Var v) {
                long a = t.getValue();
                long limit = Math.negateExact(Math.subtractExact(total, least[i]));
                long[] r = ranges.get(v.name());
                if (a > 0) {
                    r[1] = Math.min(r[1], Math.floorDiv(limit, a));
                } else {
                    r[0] = Math.max(r[0], Math.negateExact(Math.floorDiv(limit, -a)));
                }
                if (r[0] > r[1]) {
                    empty = true;
                }
            }
            i++;
        }
    }

    private long max(Expr e) {
        long best = range(e)[1];
        for (Expr c : nonPositive) {
            best = Math.min(best, maxVia(e, c, false));
        }
        for (Expr c : zero) {
            best = Math.min(best, maxVia(e, c, true));
        }
        return best;
    }

    /** {@code max(e − λ·c)} for the first atom of {@code e} that fixes an admissible integer {@code λ}. */
    private long maxVia(Expr e, Expr c, boolean equality) {
        for (Map.Entry<Expr.Atom, Long> t : e.terms().entrySet()) {
            Long cv = c.terms().get(t.getKey());
            if (cv == null || t.getValue() % cv != 0) {
                continue;
            }
            long lambda = t.getValue() / cv;
            if (lambda < 0 && !equality) {
                continue;
            }
            return range(e.minus(c.times(lambda)))[1];
        }
        return Long.MAX_VALUE;
    }

    private long[] range(Expr e) {
        long lo = e.constantTerm();
        long hi = lo;
        for (Map.Entry<Expr.Atom, Long> t : e.terms().entrySet()) {
            long[] r = atomRange(t.getKey());
            long x = Math.multiplyExact(t.getValue(), r[0]);
            long y = Math.multiplyExact(t.getValue(), r[1]);
            lo = Math.addExact(lo, Math.min(x, y));
            hi = Math.addExact(hi, Math.max(x, y));
        }
        return new long[] {lo, hi};
    }

    private long[] atomRange(Expr.Atom a) {
        if (a instanceof Expr.Var v) {
            long[] r = ranges.get(v.name());
            if (r == null) {
                throw new IllegalArgumentException("no bounds for iterator '" + v.name() + "'");
            }
            return r;
        }
        Expr.FloorDiv f = (Expr.FloorDiv) a;
        long[] n = range(f.numerator());
        return new long[] {Math.floorDiv(n[0], f.divisor()), Math.floorDiv(n[1], f.divisor())};
    }
}
