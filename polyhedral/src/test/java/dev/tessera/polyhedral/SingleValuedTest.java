package dev.tessera.polyhedral;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.polyhedral.text.IslParser;
import org.junit.jupiter.api.Test;

/**
 * Single-valuedness and injectivity where pieces fix their outputs by equalities (answered
 * without the two-copy test) next to relations where they do not; each answer checked by hand.
 */
class SingleValuedTest {
    private static Relation rel(String text) {
        return IslParser.parse(text).parts().get(0);
    }

    @Test
    void tilingMapsAreSingleValuedAndInjective() {
        Relation tiling = rel("{ S[i, j] -> T[floor(i/4), floor(j/8), i mod 4, j mod 8] : 0 <= i < 30 and 0 <= j < 20 }");
        assertThat(tiling.isSingleValued()).isTrue();
        assertThat(tiling.isInjective()).isTrue();
        Relation folded = rel("{ S[i] -> T[floor(i/4)] : 0 <= i < 30 }");
        assertThat(folded.isSingleValued()).isTrue();
        assertThat(folded.isInjective()).isFalse(); // 0 and 1 share tile 0
    }

    @Test
    void anExistentialFixedByAnEqualityFixesTheOutput() {
        assertThat(rel("{ [i] -> [j] : exists (q : j = 2q and i = q) }").isSingleValued()).isTrue();
        assertThat(rel("{ [i] -> [j] : exists (q : j = q + i and 0 <= q <= 1) }").isSingleValued()).isFalse();
    }

    @Test
    void piecesThatEachFixTheirOutputsCanStillDisagree() {
        assertThat(rel("{ S[i] -> T[i] : 0 <= i <= 5; S[i] -> T[i + 1] : 5 <= i <= 9 }").isSingleValued()).isFalse();
        assertThat(rel("{ S[i] -> T[i] : 0 <= i <= 4; S[i] -> T[i + 1] : 5 <= i <= 9 }").isSingleValued()).isTrue();
        assertThat(rel("{ S[i] -> T[j] : j = i - 3 }").isBijective()).isTrue();
        assertThat(rel("{ S[i] -> T[j] : 0 <= i <= 3 and i <= j <= i + 1 }").isSingleValued()).isFalse();
    }
}
