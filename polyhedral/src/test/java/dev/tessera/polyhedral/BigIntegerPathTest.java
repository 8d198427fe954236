package dev.tessera.polyhedral;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.polyhedral.calc.PolyCalculator;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The {@code long} path against the {@link BigInteger} path of {@link ExactMath}. Inside
 * {@code ExactMath.withSmallLimit(1, …)} every value other than 0 and ±1 is a {@code BigInteger},
 * so the engines run the same operations on the other representation; the printed answers must be
 * byte-identical. Then problems whose arithmetic leaves {@code long}, checked against values
 * computed by hand.
 */
class BigIntegerPathTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    /** Every how-many-th golden problem is run on both paths (the BigInteger path is slow). */
    private static final int GOLDEN_STRIDE = 11;

    private static String viaLong(String line) {
        return PolyCalculator.answer(line);
    }

    private static String viaBigIntegers(String line) {
        return ExactMath.withSmallLimit(1, () -> PolyCalculator.answer(line));
    }

    @Test
    void goldenProblemsGetTheSameAnswersOnBothPaths() throws IOException {
        List<String> problems = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(GOLDEN)) {
            files = s.filter(p -> p.toString().endsWith(".tsv")).sorted().toList();
        }
        for (Path file : files) {
            int k = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isEmpty() && !line.startsWith("#") && k++ % GOLDEN_STRIDE == 0) {
                    problems.add(line.substring(0, line.lastIndexOf('\t'))); // without isl's answer
                }
            }
        }
        assertThat(problems).hasSizeGreaterThan(800);
        List<String> differing = new ArrayList<>();
        for (String p : problems) {
            String viaLong = viaLong(p);
            String viaBig = viaBigIntegers(p);
            if (!viaLong.equals(viaBig)) {
                differing.add(p + "\n  long:       " + viaLong + "\n  BigInteger: " + viaBig);
            }
        }
        assertThat(differing).as("problems answered differently by the two paths").isEmpty();
    }

    @Property(tries = 40)
    void randomSetsGetTheSameAnswersOnBothPaths(@ForAll long seed) {
        Random rnd = new Random(seed);
        String a = RandomSet.random(rnd).text();
        String b = RandomSet.random(rnd).text();
        for (String op : List.of("subtract", "intersect", "is_subset", "card", "lexmax", "coalesce", "sample")) {
            String line = op + "\t" + a + (op.equals("card") || op.equals("lexmax") || op.equals("coalesce") || op.equals("sample") ? "" : "\t" + b);
            assertThat(viaBigIntegers(line)).as(line).isEqualTo(viaLong(line));
        }
    }

    @Test
    void cardOfABoxOfTwoTo80Points() {
        assertThat(viaLong("card\t{ [i, j] : 0 <= i < 1099511627776 and 0 <= j < 1099511627776 }"))
                .isEqualTo(BigInteger.TWO.pow(80).toString());
        assertThat(viaLong("card\t{ [i] : -4611686018427387904 <= i <= 4611686018427387904 }"))
                .isEqualTo("9223372036854775809"); // 2^63 + 1
    }

    @Test
    void cardOfAScannedSetBeyondLong() {
        // sum over i = 0..9 of (2^70·i + 1) = 45·2^70 + 10
        assertThat(viaLong("card\t{ [i, j] : 0 <= i < 10 and 0 <= j <= 1180591620717411303424i }"))
                .isEqualTo(BigInteger.TWO.pow(70).multiply(BigInteger.valueOf(45)).add(BigInteger.TEN).toString());
    }

    @Test
    void theBudgetStillBoundsTheBigIntegerPath() {
        // a dimension bounded through a div in an inequality (i mod 3 <= 1) is scanned point by
        // point: 3·2^64 values cannot be, and the answer says so
        assertThat(viaLong("card\t{ [i] : 0 <= i < 55340232221128654848 and 3*floor(i/3) >= i - 1 }"))
                .startsWith("error: budget exceeded");
    }

    @Test
    void cardOfAStrideBeyondLong() {
        // i = 3q: the stride's div becomes a plain column and i is substituted, so q is an interval
        // of ceil(3·2^64 / 3) = 2^64 values, counted without scanning
        assertThat(viaLong("card\t{ [i] : exists (q : i = 3q) and 0 <= i < 55340232221128654848 }"))
                .isEqualTo(BigInteger.TWO.pow(64).toString());
    }

    @Test
    void lexmaxWithCoefficientsNearTwoTo62() {
        // M = 2^62 - 1; M·i + j <= 3M + 5 with 0 <= j <= 10 and i >= 0: i <= 3, then j <= 5
        String set = "{ [i, j] : 4611686018427387903i + j <= 13835058055282163714 and 0 <= j <= 10 and i >= 0 }";
        assertThat(viaLong("is_equal\t" + viaLong("lexmax\t" + set) + "\t{ [3, 5] }")).isEqualTo("true");
        assertThat(viaLong("is_equal\t" + viaLong("lexmin\t" + set) + "\t{ [0, 0] }")).isEqualTo("true");
    }

    @Test
    void optimaBeyondLong() {
        assertThat(viaLong("max\t{ [i] : 0 <= i <= 1180591620717411303424 }\t{ [i] -> [(3i)] }"))
                .isEqualTo(BigInteger.TWO.pow(70).multiply(BigInteger.valueOf(3)).toString());
        assertThat(viaLong("min\t{ [i] : -1180591620717411303424 <= i <= 0 }\t{ [i] -> [(3i + 1)] }"))
                .isEqualTo(BigInteger.TWO.pow(70).multiply(BigInteger.valueOf(-3)).add(BigInteger.ONE).toString());
        String lexmin = viaLong("lexmin\t{ [i] : i >= 18446744073709551616 and i mod 7 = 3 }");
        // 2^64 mod 7 = 2, so the first i = 3 (mod 7) is 2^64 + 1
        assertThat(viaLong("is_equal\t" + lexmin + "\t{ [18446744073709551617] }")).isEqualTo("true");
    }

    @Test
    void subsetTestsWhoseEliminationsLeaveLong() {
        // Eliminating j combines 3037000500·3037000500 > 2^63 - 1; for 0 <= i <= 10 the two
        // bounds pin j to i, since i/3037000500 < 1.
        String a = "{ [i, j] : 0 <= i <= 10 and 3037000499j <= 3037000500i and 3037000500j >= 3037000499i }";
        assertThat(viaLong("is_subset\t" + a + "\t{ [i, j] : j = i }")).isEqualTo("true");
        assertThat(viaLong("is_subset\t" + a + "\t{ [i, j] : j = i and i <= 9 }")).isEqualTo("false");
        assertThat(viaLong("is_equal\t" + a + "\t{ [i, i] : 0 <= i <= 10 }")).isEqualTo("true");
        assertThat(viaLong("card\t" + a)).isEqualTo("11");
    }

    @Test
    void sampleWithCoordinatesBeyondLong() {
        String set = "{ [i, j] : i >= 36893488147419103232 and i <= 36893488147419103233 and j = 2i }"; // 2^65
        String point = viaLong("sample\t" + set);
        assertThat(viaLong("is_subset\t" + point + "\t" + set)).isEqualTo("true");
    }
}
