package dev.tessera.polyhedral;

import java.util.function.Supplier;

/**
 * The operation budget of one top-level call. Engines call {@link #tick(long)} for
 * every unit of work (a constraint combination, a row operation, an enumerated
 * point); when the count passes the limit the call fails with
 * {@link BudgetExceededException}. {@link #run} gives an operation its own budget; engine
 * entry points called outside any {@code run} each get the default budget ({@link #guard}).
 */
public final class Budget {
    /** Default limit: about a second or two of work. */
    public static final long DEFAULT_LIMIT = 50_000_000L;

    // {used, limit, depth of run/guard nesting}
    private static final ThreadLocal<long[]> STATE = ThreadLocal.withInitial(() -> new long[] {0, DEFAULT_LIMIT, 0});

    private Budget() {}

    /**
     * Runs {@code op} with a budget of {@code limit} operations. Outermost, the budget is fresh;
     * nested inside another {@code run}, it is also capped by what the enclosing budget has left,
     * and everything it used is charged to the enclosing budget afterwards (also when it ran
     * out), so an inner question with its own small limit never lets the caller's work exceed
     * the caller's limit. Example: an outer run of 100 that has used 95 gives an inner run of 50
     * a limit of 5; if the inner run uses 3, the outer has used 98 when it returns.
     */
    public static <T> T run(long limit, Supplier<T> op) {
        long[] s = STATE.get();
        long usedBefore = s[0];
        long limitBefore = s[1];
        boolean nested = s[2] > 0;
        s[0] = 0;
        s[1] = nested ? Math.min(limit, Math.max(0, limitBefore - usedBefore)) : limit;
        s[2]++;
        try {
            return nested ? op.get() : ExactMath.retainingScope(op);
        } finally {
            s[0] = nested ? Math.min(usedBefore + s[0], limitBefore + 1) : usedBefore;
            s[1] = limitBefore;
            s[2]--;
        }
    }

    /**
     * Runs {@code op} inside the current budget, or with a fresh default budget when no budget
     * is running: the engines' entry points use it, so a library call made outside
     * {@link #run} is bounded too.
     */
    public static <T> T guard(Supplier<T> op) {
        return STATE.get()[2] > 0 ? op.get() : run(DEFAULT_LIMIT, op);
    }

    /** Counts {@code n} operations when a budget is running (inside {@link #run} or {@link #guard}). */
    static void tickIfRunning(long n) {
        if (STATE.get()[2] > 0) {
            tick(n);
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
