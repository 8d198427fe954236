package dev.tessera.polyhedral;

import java.util.function.Supplier;

/**
 * The operation budget of one top-level call. Engines call {@link #tick(long)} for
 * every unit of work (a constraint combination, a row operation, an enumerated
 * point); when the count passes the limit the call fails with
 * {@link BudgetExceededException}. Outside {@link #run} there is a default budget
 * per thread, reset by each {@code run}.
 */
public final class Budget {
    /** Default limit: about a second or two of work. */
    public static final long DEFAULT_LIMIT = 50_000_000L;

    private static final ThreadLocal<long[]> STATE = ThreadLocal.withInitial(() -> new long[] {0, DEFAULT_LIMIT});

    private Budget() {}

    /** Runs {@code op} with a fresh budget of {@code limit} operations. */
    public static <T> T run(long limit, Supplier<T> op) {
        long[] s = STATE.get();
        long usedBefore = s[0];
        long limitBefore = s[1];
        s[0] = 0;
        s[1] = limit;
        try {
            return op.get();
        } finally {
            s[0] = usedBefore;
            s[1] = limitBefore;
        }
    }

    /** Counts {@code n} operations against the current budget. */
    public static void tick(long n) {
        long[] s = STATE.get();
        s[0] += n;
        if (s[0] > s[1]) {
            throw new BudgetExceededException(s[1]);
        }
    }
}
