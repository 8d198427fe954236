package dev.tessera.polyhedral;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Exact integer arithmetic on the library's coefficients: a {@code long} fast path with a
 * {@link BigInteger} retry, so every operation returns the mathematically exact result.
 *
 * <p><b>Representation.</b> Every coefficient, constant and computed value of the library is a
 * {@code long} <em>code</em>. A value {@code v} with {@code |v| < 2^62} is its own code, so
 * deep-learning problems (coefficients far below 2^31) never leave primitive {@code long}
 * arithmetic. A larger value is stored as {@code sign(v)·(2^62 + k)}, where {@code k} is the
 * index of {@code |v|} in a process-wide table of interned {@link BigInteger} magnitudes. The
 * encoding keeps what the engines test without decoding: the code of {@code 0}, {@code 1} and
 * {@code -1} is the value itself; the sign of a code is the sign of its value; {@code -code}
 * is the code of {@code -v}; and two codes are equal exactly when their values are (interning),
 * so rows still compare and hash with {@link java.util.Arrays#equals(long[], long[])}. Order,
 * sums, products, quotients and printing go through this class.
 *
 * <p><b>Fast path and retry.</b> {@link #add}, {@link #mul} and the rest compute on {@code long}
 * when both operands are small and the result stays small (range checks in place of
 * {@code Math.*Exact}'s overflow check); otherwise the operation is redone with {@link BigInteger} and the
 * result encoded again, small if it fits. Example: {@code mul(2^40, 2^40)} is {@code 2^80},
 * a table code; {@code div} of that by {@code 2^40} is the plain {@code long} {@code 2^40}.
 *
 * <p><b>Lifetime and limits.</b> The table holds its entries weakly. A value stays reachable
 * while the outermost {@link Budget} scope that made it runs ({@link #retainingScope}) or while
 * a {@link BasicRelation} stores it; values made outside any scope stay for the life of the
 * thread. Each result beyond {@code 2^62} costs {@value #LARGE_VALUE_COST} budget operations,
 * so an operation's budget also bounds the memory of its large values.
 * Division helpers round toward negative infinity ({@code floor}) or positive infinity
 * ({@code ceil}), never toward zero, because integer set operations need floor semantics:
 * {@code floor(-7/2) = -4}.
 */
public final class ExactMath {
    /** The large magnitudes the current scope keeps reachable, each once (they are interned). */
    private static final ThreadLocal<Set<BigInteger>> RETAINED = ThreadLocal.withInitial(ExactMath::identitySet);
    /**
     * The next table index, shared by every table (also the private ones of {@link #withSmallLimit}),
     * so a code that strays from one table into another names no live value and fails loudly.
     */
    private static final AtomicLong NEXT_INDEX = new AtomicLong();
    /** Codes with magnitude at least this are table references. */
    private static final long TABLE_BASE = 1L << 62;
    /** Table indices are below this, so codes never reach {@code Long.MIN_VALUE}. */
    private static final long MAX_INDEX = 1L << 61;
    /**
     * Budget operations charged for each result beyond {@code 2^62}: a scope keeps its large
     * values until it ends, so the budget bounds their memory (about 10^6 per default budget).
     */
    private static final long LARGE_VALUE_COST = 64;

    /** Values with {@code |v| <= smallLimit} are stored as themselves ({@link #withSmallLimit}). */
    private static long smallLimit = TABLE_BASE - 1;
    private static long smallSpan = 2 * smallLimit;
    /** The process-wide table, or a private one inside {@link #withSmallLimit}. */
    private static BigTable table = new BigTable();

    private ExactMath() {}

    /** True when {@code x} is a plain value within the current small range. */
    private static boolean small(long x) {
        return Long.compareUnsigned(x + smallLimit, smallSpan) <= 0;
    }

    public static long add(long a, long b) {
        long r = a + b;
        if (small(a) && small(b) && small(r)) {
            return r;
        }
        return of(toBigInteger(a).add(toBigInteger(b)));
    }

    public static long sub(long a, long b) {
        long r = a - b;
        if (small(a) && small(b) && small(r)) {
            return r;
        }
        return of(toBigInteger(a).subtract(toBigInteger(b)));
    }

    public static long mul(long a, long b) {
        if (small(a) && small(b)) {
            long r = a * b;
            if (Math.multiplyHigh(a, b) == (r >> 63) && small(r)) {
                return r;
            }
        }
        return of(toBigInteger(a).multiply(toBigInteger(b)));
    }

    /** {@code -a}; exact for every code, since the small range is symmetric and codes are sign-magnitude. */
    public static long neg(long a) {
        return -a;
    }

    /** {@code |a|}, exact for every code. */
    public static long abs(long a) {
        return Math.abs(a);
    }

    /** The sign of the value: -1, 0 or 1. */
    public static int signum(long a) {
        return Long.signum(a);
    }

    /** Compares the values of two codes, like {@link Long#compare}. */
    public static int compare(long a, long b) {
        if (small(a) && small(b)) {
            return Long.compare(a, b);
        }
        return toBigInteger(a).compareTo(toBigInteger(b));
    }

    public static long min(long a, long b) {
        return compare(a, b) <= 0 ? a : b;
    }

    public static long max(long a, long b) {
        return compare(a, b) >= 0 ? a : b;
    }

    /** {@code a / b} rounded toward zero (as Java's {@code /}), {@code b != 0}: {@code div(-7, 2) = -3}. */
    public static long div(long a, long b) {
        if (small(a) && small(b)) {
            return a / b;
        }
        return of(toBigInteger(a).divide(toBigInteger(b)));
    }

    /** {@code floor(a / b)} for {@code b != 0}. Example: {@code floorDiv(-7, 2) = -4}. */
    public static long floorDiv(long a, long b) {
        if (small(a) && small(b)) {
            return Math.floorDiv(a, b);
        }
        BigInteger[] qr = toBigInteger(a).divideAndRemainder(toBigInteger(b));
        BigInteger q = qr[0];
        if (qr[1].signum() != 0 && qr[1].signum() != Long.signum(b)) {
            q = q.subtract(BigInteger.ONE);
        }
        return of(q);
    }

    /** {@code ceil(a / b)} for {@code b != 0}. Example: {@code ceilDiv(-7, 2) = -3}, {@code ceilDiv(7, 2) = 4}. */
    public static long ceilDiv(long a, long b) {
        return neg(floorDiv(neg(a), b));
    }

    /** The non-negative remainder {@code a mod b} for {@code b > 0}: {@code mod(-7, 3) = 2}. */
    public static long mod(long a, long b) {
        if (b <= 0) {
            throw new IllegalArgumentException("modulus must be positive: " + ExactMath.toString(b));
        }
        if (small(a) && small(b)) {
            return Math.floorMod(a, b);
        }
        return of(toBigInteger(a).mod(toBigInteger(b)));
    }

    /** The greatest common divisor, always {@code >= 0}; {@code gcd(0, 0) = 0}. */
    public static long gcd(long a, long b) {
        if (small(a) && small(b)) {
            a = Math.abs(a);
            b = Math.abs(b);
            while (b != 0) {
                long t = a % b;
                a = b;
                b = t;
            }
            return a;
        }
        return of(toBigInteger(a).gcd(toBigInteger(b)));
    }

    /** The least common multiple of two positive numbers. */
    public static long lcm(long a, long b) {
        if (a <= 0 || b <= 0) {
            throw new IllegalArgumentException("lcm of non-positive numbers: " + ExactMath.toString(a) + ", " + ExactMath.toString(b));
        }
        return mul(div(a, gcd(a, b)), b);
    }

    /** The code of a plain {@code long} value (any value, also beyond 2^62). */
    public static long of(long v) {
        return small(v) ? v : of(BigInteger.valueOf(v));
    }

    /** The code of {@code v}. */
    public static long of(BigInteger v) {
        if (v.bitLength() < 63 && small(v.longValue())) {
            return v.longValue();
        }
        long k = table.index(v.abs());
        return v.signum() < 0 ? -(TABLE_BASE + k) : TABLE_BASE + k;
    }

    /** The value of a code. */
    public static BigInteger toBigInteger(long code) {
        if (code > -TABLE_BASE && code < TABLE_BASE) {
            return BigInteger.valueOf(code);
        }
        BigInteger m = table.magnitude(Math.abs(code) - TABLE_BASE);
        return code < 0 ? m.negate() : m;
    }

    /** The value of a code as a plain {@code long}; {@link ArithmeticException} when it does not fit. */
    public static long toLongExact(long code) {
        return toBigInteger(code).longValueExact();
    }

    /** The value of a code clamped to {@code [-cap, cap]}, for heuristics that rank sizes. */
    public static long saturatedLong(long code, long cap) {
        if (small(code)) {
            return Math.max(-cap, Math.min(cap, code));
        }
        BigInteger v = toBigInteger(code);
        BigInteger c = BigInteger.valueOf(cap);
        return v.compareTo(c) > 0 ? cap : v.compareTo(c.negate()) < 0 ? -cap : v.longValue();
    }

    /** The decimal text of the value: {@code toString(mul(1L << 40, 1L << 40))} is {@code 1208925819614629174706176}. */
    public static String toString(long code) {
        return small(code) ? Long.toString(code) : toBigInteger(code).toString();
    }

    /** The code of a decimal integer literal of any length. */
    public static long parse(String decimal) {
        return decimal.length() <= 18 ? of(Long.parseLong(decimal)) : of(new BigInteger(decimal));
    }

    /**
     * Runs {@code op} with values beyond {@code ±limit} (instead of {@code ±(2^62 - 1)}) held
     * as {@link BigInteger}s: with {@code limit = 1} every value other than 0 and ±1 takes the
     * {@code BigInteger} path, which is how tests compare the two paths. The large values made
     * inside live in a table of their own, dropped at the end, so values made inside must not be
     * used outside, nor the other way round. Not for concurrent use.
     */
    static <T> T withSmallLimit(long limit, Supplier<T> op) {
        if (limit < 1 || limit >= TABLE_BASE) {
            throw new IllegalArgumentException("small limit out of range: " + limit);
        }
        long before = smallLimit;
        BigTable tableBefore = table;
        smallLimit = limit;
        smallSpan = 2 * limit;
        table = new BigTable();
        try {
            return op.get();
        } finally {
            smallLimit = before;
            smallSpan = 2 * before;
            table = tableBefore;
        }
    }

    /**
     * Keeps the large values made on this thread reachable until the outermost {@link Budget}
     * scope ends ({@code Budget.run}/{@code guard} call this), so engine code may hold codes in
     * plain {@code long}s; what outlives the scope is held by the {@link BasicRelation}s that
     * store it; a value, point ({@code long[]}) or {@link LexOpt.IntegerBox} the scope returns
     * (also inside an {@code Optional}) is handed to the enclosing one. Values made outside any
     * scope stay reachable for the life of the thread (each distinct value once), so callers
     * that make large values repeatedly should run inside {@link Budget#run}.
     */
    static <T> T retainingScope(Supplier<T> op) {
        Set<BigInteger> outer = RETAINED.get();
        RETAINED.set(identitySet());
        T result;
        try {
            result = op.get();
        } finally {
            RETAINED.set(outer);
        }
        retainResult(result instanceof Optional<?> o ? o.orElse(null) : result, outer);
        return result;
    }

    /** The codes a scope returns (a value, a point, a box) live on with the caller. */
    private static void retainResult(Object result, Set<BigInteger> into) {
        if (result instanceof Long code) {
            retain(code, into);
        } else if (result instanceof long[] point) {
            for (long code : point) {
                retain(code, into);
            }
        } else if (result instanceof LexOpt.IntegerBox box) {
            retainResult(box.lower(), into);
            retainResult(box.upper(), into);
        }
    }

    private static void retain(long code, Set<BigInteger> into) {
        if (code >= TABLE_BASE || code <= -TABLE_BASE) {
            into.add(table.magnitude(Math.abs(code) - TABLE_BASE));
        }
    }

    private static Set<BigInteger> identitySet() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }

    /**
     * Adds the large magnitudes {@code row} uses to {@code out} (a value holding them keeps their
     * codes valid); {@code out} may be {@code null} and is created on the first one. Returns it.
     */
    static List<BigInteger> addLargeMagnitudes(long[] row, List<BigInteger> out) {
        for (long x : row) {
            out = addLargeMagnitude(x, out);
        }
        return out;
    }

    /** {@link #addLargeMagnitudes} for one code. */
    static List<BigInteger> addLargeMagnitude(long code, List<BigInteger> out) {
        if (code >= TABLE_BASE || code <= -TABLE_BASE) {
            if (out == null) {
                out = new ArrayList<>();
            }
            out.add(table.magnitude(Math.abs(code) - TABLE_BASE));
        }
        return out;
    }

    /**
     * Interned large magnitudes. An entry lives while its magnitude is reachable (from a
     * {@link #retainingScope} or a {@link BasicRelation}); indices are never reused, so a code
     * whose value was released fails loudly instead of meaning another number.
     */
    private static final class BigTable {
        private final Map<BigInteger, Long> index = new WeakHashMap<>();
        private final Map<Long, WeakReference<BigInteger>> byIndex = new HashMap<>();
        private final ReferenceQueue<BigInteger> released = new ReferenceQueue<>();
        private final Map<Reference<? extends BigInteger>, Long> indexOfRef = new IdentityHashMap<>();

        synchronized long index(BigInteger magnitude) {
            for (Reference<? extends BigInteger> r; (r = released.poll()) != null; ) {
                byIndex.remove(indexOfRef.remove(r));
            }
            Long k = index.get(magnitude);
            WeakReference<BigInteger> known = k == null ? null : byIndex.get(k);
            BigInteger canonical = known == null ? null : known.get();
            if (canonical == null) {
                k = NEXT_INDEX.getAndIncrement();
                if (k >= MAX_INDEX) {
                    throw new ArithmeticException("more than " + MAX_INDEX + " large integers made in this process");
                }
                canonical = magnitude;
                index.put(canonical, k);
                WeakReference<BigInteger> ref = new WeakReference<>(canonical, released);
                byIndex.put(k, ref);
                indexOfRef.put(ref, k);
            }
            RETAINED.get().add(canonical);
            if (magnitude.bitLength() > 62) {
                Budget.tickIfRunning(LARGE_VALUE_COST); // the same charge on both paths of withSmallLimit
            }
            return k;
        }

        synchronized BigInteger magnitude(long k) {
            WeakReference<BigInteger> ref = byIndex.get(k);
            BigInteger m = ref == null ? null : ref.get();
            if (m == null) {
                throw new IllegalStateException("a large integer was used after its last holder was released");
            }
            return m;
        }
    }
}
