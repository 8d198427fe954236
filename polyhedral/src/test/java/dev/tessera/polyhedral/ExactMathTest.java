package dev.tessera.polyhedral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.math.RoundingMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ExactMathTest {
    @Test
    void divisionRoundsTowardNegativeOrPositiveInfinity() {
        assertThat(ExactMath.floorDiv(-7, 2)).isEqualTo(-4);
        assertThat(ExactMath.floorDiv(7, -2)).isEqualTo(-4);
        assertThat(ExactMath.ceilDiv(-7, 2)).isEqualTo(-3);
        assertThat(ExactMath.ceilDiv(7, 2)).isEqualTo(4);
        assertThat(ExactMath.mod(-7, 3)).isEqualTo(2);
        assertThat(ExactMath.gcd(-12, 18)).isEqualTo(6);
        assertThat(ExactMath.lcm(4, 6)).isEqualTo(12);
    }

    @Test
    void overflowRetriesInBigIntegerAndComesBackToLongWhenSmall() {
        long twoTo40 = 1L << 40;
        long twoTo80 = ExactMath.mul(twoTo40, twoTo40);
        assertThat(ExactMath.toString(twoTo80)).isEqualTo("1208925819614629174706176");
        assertThat(ExactMath.toBigInteger(twoTo80)).isEqualTo(BigInteger.TWO.pow(80));
        assertThat(ExactMath.div(twoTo80, twoTo40)).isEqualTo(twoTo40); // a plain long again
        assertThat(ExactMath.toString(ExactMath.add(ExactMath.of(Long.MAX_VALUE), 1))).isEqualTo("9223372036854775808");
        assertThat(ExactMath.toString(ExactMath.neg(ExactMath.of(Long.MIN_VALUE)))).isEqualTo("9223372036854775808");
        assertThat(ExactMath.toString(ExactMath.floorDiv(ExactMath.of(Long.MIN_VALUE), -1))).isEqualTo("9223372036854775808");
        assertThat(ExactMath.gcd(ExactMath.of(Long.MIN_VALUE), 0)).isEqualTo(ExactMath.parse("9223372036854775808"));
        assertThatThrownBy(() -> ExactMath.toLongExact(twoTo80)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void codesKeepSignNegationAndEqualityOfTheirValues() {
        long big = ExactMath.parse("-123456789012345678901234567890");
        assertThat(big).isNegative();
        assertThat(ExactMath.neg(big)).isEqualTo(ExactMath.parse("123456789012345678901234567890"));
        assertThat(ExactMath.abs(big)).isEqualTo(ExactMath.neg(big));
        assertThat(ExactMath.parse("-123456789012345678901234567890")).isEqualTo(big);
        assertThat(ExactMath.compare(big, ExactMath.of(Long.MIN_VALUE + 1))).isNegative();
        assertThat(ExactMath.compare(ExactMath.neg(big), ExactMath.of(Long.MAX_VALUE))).isPositive();
        assertThat(ExactMath.of(7)).isEqualTo(7);
    }

    @Property
    void everyOperationAgreesWithBigIntegerOnLargeValues(@ForAll long a, @ForAll long b, @ForAll @IntRange(min = 0, max = 70) int shift) {
        BigInteger x = BigInteger.valueOf(a).shiftLeft(shift);
        BigInteger y = BigInteger.valueOf(b);
        long cx = ExactMath.of(x);
        long cy = ExactMath.of(b);
        assertThat(ExactMath.toBigInteger(ExactMath.add(cx, cy))).isEqualTo(x.add(y));
        assertThat(ExactMath.toBigInteger(ExactMath.sub(cx, cy))).isEqualTo(x.subtract(y));
        assertThat(ExactMath.toBigInteger(ExactMath.mul(cx, cy))).isEqualTo(x.multiply(y));
        assertThat(ExactMath.compare(cx, cy)).isEqualTo(x.compareTo(y));
        assertThat(ExactMath.toBigInteger(ExactMath.gcd(cx, cy))).isEqualTo(x.gcd(y));
        if (b != 0) {
            BigInteger[] qr = x.divideAndRemainder(y);
            BigInteger floor = qr[1].signum() != 0 && qr[1].signum() != y.signum() ? qr[0].subtract(BigInteger.ONE) : qr[0];
            assertThat(ExactMath.toBigInteger(ExactMath.div(cx, cy))).isEqualTo(qr[0]);
            assertThat(ExactMath.toBigInteger(ExactMath.floorDiv(cx, cy))).isEqualTo(floor);
            assertThat(ExactMath.toBigInteger(ExactMath.ceilDiv(cx, cy))).isEqualTo(floor.add(qr[1].signum() == 0 ? BigInteger.ZERO : BigInteger.ONE));
        }
        if (b > 0) {
            assertThat(ExactMath.toBigInteger(ExactMath.mod(cx, cy))).isEqualTo(x.mod(y));
        }
    }

    @Property
    void floorAndCeilAgreeWithBigInteger(@ForAll long a, @ForAll @LongRange(min = 1, max = 1_000_000) long b) {
        BigInteger[] qr = BigInteger.valueOf(a).divideAndRemainder(BigInteger.valueOf(b));
        BigInteger floor = qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
        long ca = ExactMath.of(a); // a long beyond 2^62 is a table code
        assertThat(ExactMath.toBigInteger(ExactMath.floorDiv(ca, b))).isEqualTo(floor);
        BigInteger ceil = new java.math.BigDecimal(a).divide(new java.math.BigDecimal(b), 0, RoundingMode.CEILING).toBigIntegerExact();
        assertThat(ExactMath.toBigInteger(ExactMath.ceilDiv(ca, b))).isEqualTo(ceil);
        assertThat(ExactMath.toBigInteger(ExactMath.mod(ca, b))).isEqualTo(BigInteger.valueOf(a).mod(BigInteger.valueOf(b)));
    }

    @Property
    void multiplicationIsExact(@ForAll long a, @ForAll long b) {
        BigInteger exact = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b));
        assertThat(ExactMath.toBigInteger(ExactMath.mul(ExactMath.of(a), ExactMath.of(b)))).isEqualTo(exact);
    }
}
