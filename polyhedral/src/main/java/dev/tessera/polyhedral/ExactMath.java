package dev.tessera.polyhedral;

/**
 * Exact integer arithmetic on {@code long}: every operation either returns the mathematically
 * exact result or throws {@link ArithmeticException} on overflow — never a wrapped, wrong value.
 * The library reports such an overflow as an explicit error ({@code error: arithmetic overflow}
 * in the calculator); it does not yet retry in {@link java.math.BigInteger}. Division helpers round toward negative
 * infinity ({@code floor}) or positive infinity ({@code ceil}), never toward zero, because integer
 * set operations need floor semantics: {@code floor(-7/2) = -4}.
 */
public final class ExactMath {
    private ExactMath() {}

    public static long add(long a, long b) {
        return Math.addExact(a, b);
    }

    public static long sub(long a, long b) {
        return Math.subtractExact(a, b);
    }

    public static long mul(long a, long b) {
        return Math.multiplyExact(a, b);
    }

    public static long neg(long a) {
        return Math.negateExact(a);
    }

    /** {@code floor(a / b)} for {@code b != 0}. Example: {@code floorDiv(-7, 2) = -4}. */
    public static long floorDiv(long a, long b) {
        if (a == Long.MIN_VALUE && b == -1) {
            throw new ArithmeticException("long overflow");
        }
        return Math.floorDiv(a, b);
    }

    /** {@code ceil(a / b)} for {@code b != 0}. Example: {@code ceilDiv(-7, 2) = -3}, {@code ceilDiv(7, 2) = 4}. */
    public static long ceilDiv(long a, long b) {
        if (a == Long.MIN_VALUE && b == -1) {
            throw new ArithmeticException("long overflow");
        }
        long q = a / b; // rounds toward zero
        return (a % b != 0 && (a ^ b) >= 0) ? q + 1 : q;
    }

    /** The non-negative remainder {@code a mod b} for {@code b > 0}: {@code mod(-7, 3) = 2}. */
    public static long mod(long a, long b) {
        if (b <= 0) {
            throw new IllegalArgumentException("modulus must be positive: " + b);
        }
        return Math.floorMod(a, b);
    }

    /** The greatest common divisor, always {@code >= 0}; {@code gcd(0, 0) = 0}. */
    public static long gcd(long a, long b) {
        a = Math.abs(a);
        b = Math.abs(b);
        if (a < 0 || b < 0) { // Math.abs(Long.MIN_VALUE)
            throw new ArithmeticException("long overflow");
        }
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** The least common multiple of two positive numbers. */
    public static long lcm(long a, long b) {
        if (a <= 0 || b <= 0) {
            throw new IllegalArgumentException("lcm of non-positive numbers: " + a + ", " + b);
        }
        return mul(a / gcd(a, b), b);
    }
}
