package dev.tessera.polyhedral.calc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The line protocol, hand-checked answers, and the errors a bad line gets. */
class PolyCalculatorTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "is_empty\t{ [i] : exists (e : i = 2e) and exists (f : i = 2f + 1) }                      | true",
        "is_empty\t{ [x, y] : 1 <= 3x - 3y <= 2 }                                                  | true",
        "is_empty\t{ [x, y] : 2 <= 3x - 3y <= 3 and 0 <= x <= 5 }                                  | false",
        "is_subset\t{ [i] : 0 <= i < 10 and i mod 2 = 0 }\t{ [i] : 0 <= i <= 8 }                   | true",
        "is_subset\t[N] -> { [i] : 0 <= i < N }\t[N] -> { [i] : 0 <= i <= N }                      | true",
        "is_subset\t[N] -> { [i] : 0 <= i <= N }\t[N] -> { [i] : 0 <= i < N }                      | false",
        "is_equal\t{ [i] : 0 <= i < 12 and i mod 4 = 1 }\t{ [i] : i = 1 or i = 5 or i = 9 }       | true",
        "is_injective\t{ P[oh, kh] -> X[2oh + kh] : 0 <= oh < 4 and 0 <= kh < 3 }                 | false",
        "is_injective\t{ P[oh, kh] -> X[2oh + kh] : 0 <= oh < 4 and 0 <= kh < 2 }                 | true",
        "is_bijective\t{ S[i, j] -> T[floor(i/4), floor(j/4), i mod 4, j mod 4] : 0 <= i < 10 and 0 <= j < 12 } | true",
        "card\t{ A[k] : exists (i, j : k = i + j and 0 <= i < 5 and 0 <= j < 10) }                 | 14",
        "card\t{ [i] : 0 <= i < 100 and i mod 7 = 3 }                                               | 14",
        "card\t{ [i] : i >= 0 }                                                                      | infinity",
        "card\t{ In[h] : exists (oh, r : h = 2oh + r - 1 and 0 <= oh < 4 and 0 <= r < 3 and 0 <= h < 8) } | 8",
        "max\t{ [i, j] : 0 <= i < 10 and 0 <= j < 5 }\t{ [i, j] -> [(i + 2j)] }                     | 17",
        "min\t{ [i] : i > 3 }\t{ [i] -> [(2i)] }                                                    | 8",
        "max\t{ [i] : i > 3 }\t{ [i] -> [(2i)] }                                                    | infty",
        "max\t{ [i] : i > 3 and i < 0 }\t{ [i] -> [(2i)] }                                          | NaN",
        "box\t{ S[i] : 0 <= i <= 6 and exists (e : i = 4e + 2) }                                    | { offset: \"{ S[(0)] }\", size: \"{ S[7] }\" }",
        "box\t{ S[i, j] : 2 <= i <= 5 and 3 <= j <= 7 and exists (e : i = 3e) }                    | { offset: \"{ S[(3), (3)] }\", size: \"{ S[1, 5] }\" }",
        "box\t{ S[i, j] : -5 <= i <= -4 and j <= 4 and exists (e : j = 3e) }                       | { offset: \"{ [] -> S[NaN, NaN] }\", size: \"{ S[infty, infty] }\" }",
        "sample\t{ [i] : i > 3 and i < 0 }                                                          | empty",
        "lexmin\t{ [i] : i <= 0 }                                                                    | error: unbounded optimum (lexmin)",
        "card\t[N] -> { [i] : 0 <= i < N }                                                          | error: parametric set (card needs fixed parameters) (card)",
        "frobnicate\t{ [i] }                                                                         | error: unsupported op frobnicate (frobnicate)",
        "is_empty\t{ [i] }\t{ [i] }                                                                 | error: is_empty takes 1 argument(s), got 2 (is_empty)",
        "intersect\t{ [i] }\t{ [i] -> [j] }                                                         | error: intersect: both arguments must be sets or both relations (intersect)",
        "is_empty\t{ [i] : i >= }                                                                    | error: expected an expression, found '}' at character 13 (is_empty)",
    })
    void answersLikeTheOracle(String line, String expected) {
        assertThat(PolyCalculator.answer(line.trim().replace("\\t", "\t"))).isEqualTo(expected.trim());
    }

    @Test
    void setAnswersAreExact() {
        assertThat(PolyCalculator.answer("is_equal\t" + PolyCalculator.answer("subtract\t{ [i] : 0 <= i < 10 }\t{ [i] : i mod 3 = 0 }")
                + "\t{ [i] : 0 <= i < 10 and i mod 3 != 0 }")).isEqualTo("true");
        String footprint = PolyCalculator.answer("range\t{ S[oh, r] -> In[2oh + r] : 0 <= oh < 4 and 0 <= r < 2 }");
        assertThat(PolyCalculator.answer("is_equal\t" + footprint + "\t{ In[h] : 0 <= h <= 7 }")).isEqualTo("true");
        String strided = PolyCalculator.answer("range\t{ S[oh] -> In[2oh] : 0 <= oh < 4 }");
        assertThat(PolyCalculator.answer("is_equal\t" + strided + "\t{ In[h] : 0 <= h <= 6 and h mod 2 = 0 }")).isEqualTo("true");
        String deps = PolyCalculator.answer("deps\t{ W[i] -> [0, i]; R[i] -> [1, i] }\t{ W[i] -> A[i] : 0 <= i < 10 }\t{ R[i] -> A[i + 1] : 0 <= i < 10 }");
        assertThat(PolyCalculator.answer("is_equal\t" + deps + "\t{ W[i] -> R[i - 1] : 1 <= i <= 9 }")).isEqualTo("true");
    }

    @Test
    void beyondLongTheAnswerIsStillExact() {
        // answers checked with isl: true, then false
        assertThat(PolyCalculator.answer("is_empty\t{ [i, j] : 3037000500i + 3037000499j = 1 and 3037000499i - 3037000500j >= 7 and i >= 0 and j >= 0 }"))
                .isEqualTo("true");
        assertThat(PolyCalculator.answer("is_empty\t{ [i, j] : 3037000500i - 3037000499j = 1 and 3037000499i - 3037000500j >= 7 }"))
                .isEqualTo("false");
        assertThat(PolyCalculator.answer("card\t{ [i, j, k, l] : 0 <= i, j, k, l < 3037000500 }"))
                .isEqualTo("85070591732918141055018500062500000000"); // 3037000500^4
    }

    @Test
    void runEchoesCommentsAndEmptyLinesAndContinuesAfterErrors() throws IOException {
        String in = "# a comment\n\nis_empty\t{ [i] : i > 0 and i < 0 }\nbogus\ncard\t{ [i] : 0 <= i < 3 }\n";
        StringWriter text = new StringWriter();
        PolyCalculator.run(new BufferedReader(new StringReader(in)), new PrintWriter(text));
        assertThat(text.toString().split("\n", -1))
                .containsExactly("# a comment", "", "true", "error: unsupported op bogus (bogus)", "3", "");
    }
}
