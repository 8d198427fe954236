package dev.tessera.polyhedral;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.polyhedral.text.IslParser;
import org.junit.jupiter.api.Test;

class CountingTest {
    @Test
    void countsAStrideWithALargeModulusWithoutScanningTheRange() {
        // i = 3 + 1000000007 k for k = 0 … 999: before the stride's div became a plain column the
        // count scanned 10^12 values of i and ran out of budget
        String set = "{ [i] : 0 <= i <= 1000000000000 and i mod 1000000007 = 3 }";
        assertThat(Counting.card(IslParser.parse(set))).isEqualTo("1000");
    }

    @Test
    void countsAModEquationOverALargeSquare() {
        long n = 100_000;
        long expected = 0;
        for (long i = 0; i <= n; i++) {
            // j in [0, n] with j ≡ 3 - i (mod 7)
            long first = Math.floorMod(3 - i, 7);
            expected += first > n ? 0 : (n - first) / 7 + 1;
        }
        String set = "{ [i, j] : 0 <= i <= " + n + " and 0 <= j <= " + n + " and (i + j) mod 7 = 3 }";
        assertThat(Counting.card(IslParser.parse(set))).isEqualTo(Long.toString(expected));
    }

    @Test
    void countsStridesAgainstEnumerationOnSmallBoxes() {
        for (int m = 2; m <= 5; m++) {
            for (int a = 1; a <= 3; a++) {
                String set = "{ [i, j] : -7 <= i <= 9 and 0 <= j <= 6 and (" + a + "i + 2j) mod " + m + " = 1 and "
                        + "exists (q = floor(i/3) : i = 3q + 1 or j = 2q) }";
                long expected = 0;
                for (int i = -7; i <= 9; i++) {
                    for (int j = 0; j <= 6; j++) {
                        int q = Math.floorDiv(i, 3);
                        if (Math.floorMod(a * i + 2 * j, m) == 1 && (i == 3 * q + 1 || j == 2 * q)) {
                            expected++;
                        }
                    }
                }
                assertThat(Counting.card(IslParser.parse(set))).as(set).isEqualTo(Long.toString(expected));
            }
        }
    }
}
