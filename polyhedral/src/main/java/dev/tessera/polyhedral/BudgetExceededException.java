package dev.tessera.polyhedral;

/** Thrown when a top-level operation used up its {@link Budget}: the answer is unknown, never guessed. */
public final class BudgetExceededException extends RuntimeException {
    public BudgetExceededException(long limit) {
        super("budget exceeded (" + limit + " operations)");
    }
}
