package dev.tessera.polyhedral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.math.RoundingMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
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
    void overflowIsAnErrorNeverAWrongAnswer() {
        assertThatThrownBy(() -> ExactMath.mul(Long.MAX_VALUE, 2)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> ExactMath.add(Long.MAX_VALUE, 1)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> ExactMath.floorDiv(Long.MIN_VALUE, -1)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> ExactMath.gcd(Long.MIN_VALUE, 0)).isInstanceOf(ArithmeticException.class);
    }

    @Property
    void floorAndCeilAgreeWithBigInteger(@ForAll long a, @ForAll @LongRange(min = 1, max = 1_000_000) long b) {
        BigInteger[] qr = BigInteger.valueOf(a).divideAndRemainder(BigInteger.valueOf(b));
        BigInteger floor = qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
        assertThat(ExactMath.floorDiv(a, b)).isEqualTo(floor.longValueExact());
        long ceil = new java.math.BigDecimal(a).divide(new java.math.BigDecimal(b), 0, RoundingMode.CEILING).longValueExact();
        assertThat(ExactMath.ceilDiv(a, b)).isEqualTo(ceil);
        assertThat(ExactMath.mod(a, b)).isEqualTo(BigInteger.valueOf(a).mod(BigInteger.valueOf(b)).longValueExact());
    }

    @Property
    void multiplicationIsExactOrThrows(@ForAll long a, @ForAll long b) {
        BigInteger exact = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b));
        if (exact.bitLength() < 64) {
            assertThat(ExactMath.mul(a, b)).isEqualTo(exact.longValueExact());
        } else {
            assertThatThrownBy(() -> ExactMath.mul(a, b)).isInstanceOf(ArithmeticException.class);
        }
    }
}
