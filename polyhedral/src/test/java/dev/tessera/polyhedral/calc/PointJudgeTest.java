package dev.tessera.polyhedral.calc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.polyhedral.calc.PointJudge.Verdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Hand-checked memberships for the independent judge of the golden test. */
class PointJudgeTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{ [i] : exists (e : i = 3e and 0 <= e <= 5) }                         | { [6] }                      | IN",
        "{ [i] : exists (e : i = 3e and 0 <= e <= 5) }                         | { [7] }                      | OUT",
        "{ [i] : exists (e : i = 3e and 0 <= e <= 5) }                         | { [18] }                     | OUT",
        "{ S[i, j] : 0 <= i < j <= 4 }                                          | { S[1, 3] }                  | IN",
        "{ S[i, j] : 0 <= i < j <= 4 }                                          | { S[3, 3] }                  | OUT",
        "{ S[i, j] : 0 <= i < j <= 4 }                                          | { T[1, 3] }                  | OUT",
        "[N] -> { A[i] -> B[i + 1] : 0 <= i < N }                               | [N] -> { A[2] -> B[3] : N = 3 } | IN",
        "[N] -> { A[i] -> B[i + 1] : 0 <= i < N }                               | [N] -> { A[3] -> B[4] : N = 3 } | OUT",
        "{ [i] : i mod 4 = 1 or floor((i + 1)/3) = 5 }                          | { [14] }                     | IN",
        "{ [i] : not (i mod 4 = 1) and -2 <= i <= 2 }                           | { [1] }                      | OUT",
        "{ [i] : i >= min(3, 2 * 4) and i <= max(-1, 4) }                       | { [4] }                      | IN",
        "{ [i] : exists (e0, e1 = floor((i)/3) : i = 2e0 and e0 >= 3) }       | { [6] }                      | IN",
        "{ [i] : exists (e0 = floor((i)/3), e1 : 3e0 = i and e1 >= e0) }       | { [5] }                      | OUT",
        "{ [i] : exists (e : i = 2e and e <= -1) }                               | { [-8] }                     | IN",
        "{ [i] : exists (e : i = 2e + 1 and e <= -1) }                           | { [-8] }                     | OUT",
        "{ [i] : exists (e, f : i = 2e + 4f + 1) }                               | { [-8] }                     | OUT",
        "{ [i] : exists (e, f : e - f = 1000 and e + f = i) }                    | { [0] }                      | UNDECIDED",
        "{ W[[i] -> A[j]] : j = i + 1 }                                          | { W[[2] -> A[3]] }           | IN",
    })
    void judgesMembershipByArithmetic(String set, String point, Verdict expected) {
        assertThat(PointJudge.member(set, point)).isEqualTo(expected);
    }
}
