package dev.tessera.operators.lowering;

import dev.tessera.operators.InternalCompilerError;
import dev.tessera.polyhedral.Budget;
import dev.tessera.polyhedral.BudgetExceededException;
import dev.tessera.polyhedral.Counting;
import dev.tessera.polyhedral.Dataflow;
import dev.tessera.polyhedral.Relation;
import dev.tessera.polyhedral.UnionOps;
import dev.tessera.polyhedral.UnionRelation;
import dev.tessera.polyhedral.text.IslParser;
import dev.tessera.polyhedral.text.IslPrinter;
import java.util.List;

/**
 * The one place the loop IR talks to the Presburger library: every question goes in as isl text
 * (what the loop IR prints) and comes back as a number, a boolean or isl text. Each call runs with
 * a fresh operation budget of the library, so one hard question cannot starve the next.
 */
final class Presburger {
    /** Operations one question may take (the library's default: about a second of work). */
    static final long BUDGET = Budget.DEFAULT_LIMIT;

    private Presburger() {}

    /** The number of integer points of a bounded, parameter-free set (pairs of a relation). */
    static long card(String isl) {
        return run(() -> {
            String c = Counting.card(IslParser.parse(isl));
            if (c.equals("infinity")) {
                throw new IllegalArgumentException("unbounded set " + isl);
            }
            try {
                return new java.math.BigInteger(c).longValueExact();
            } catch (ArithmeticException e) {
                throw new InternalCompilerError("the set has " + c + " points, more than a long holds: " + isl, e);
            }
        });
    }

    /** The number of points of the projection of a set onto its first {@code keep} dimensions. */
    static long cardOfPrefix(String isl, int keep) {
        return run(() -> {
            UnionRelation u = IslParser.parse(isl);
            long total = 0;
            for (Relation r : u.parts()) {
                int dims = r.space().nOut();
                long n;
                try {
                    n = Counting.count(keep == dims ? r : r.projectOut("set", keep, dims - keep));
                    total = Math.addExact(total, n);
                } catch (ArithmeticException e) {
                    throw new InternalCompilerError("the projection of " + isl + " has more points than a long holds", e);
                }
                if (n < 0) {
                    throw new InternalCompilerError("unbounded projection of " + isl);
                }
            }
            return total;
        });
    }

    /** {@code a \ b} in isl text, or the empty string when it is empty. */
    static String difference(String a, String b) {
        return run(() -> {
            UnionRelation[] ab = UnionRelation.align(IslParser.parse(a), IslParser.parse(b));
            UnionRelation d = UnionOps.subtract(ab[0], ab[1]);
            return isEmpty(d) ? "" : IslPrinter.print(d);
        });
    }

    static boolean isBounded(String set) {
        return run(() -> {
            for (Relation r : IslParser.parse(set).parts()) {
                if (!r.isBounded()) {
                    return false;
                }
            }
            return true;
        });
    }

    /** The range (image) of a relation, in isl text. */
    static String range(String relation) {
        return run(() -> IslPrinter.print(UnionOps.map(IslParser.parse(relation), Relation::range)));
    }

    /**
     * Reads with no earlier write of the same element, in isl text ({@code ""} when every read has
     * a source): isl's {@code compute_flow} must-no-source under the schedule, must writes and reads given.
     */
    static String readsWithoutSource(String schedule, String writes, String reads) {
        return run(() -> {
            UnionRelation u = Dataflow.compute("deps_nosrc", List.of(IslParser.parse(schedule),
                    IslParser.parse(writes), IslParser.parse(reads)));
            return isEmpty(u) ? "" : IslPrinter.print(u);
        });
    }

    /** Runs one question with a fresh budget; running out is a loud error naming the question's size. */
    private static <T> T run(java.util.function.Supplier<T> question) {
        try {
            return Budget.run(BUDGET, question);
        } catch (BudgetExceededException e) {
            throw new InternalCompilerError("a Presburger question exceeded its budget of " + BUDGET
                    + " operations: " + e.getMessage(), e);
        }
    }

    private static boolean isEmpty(UnionRelation u) {
        for (Relation r : u.parts()) {
            if (!r.isEmpty()) {
                return false;
            }
        }
        return true;
    }
}
