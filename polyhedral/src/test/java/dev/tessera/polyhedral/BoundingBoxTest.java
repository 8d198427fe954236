package dev.tessera.polyhedral;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.polyhedral.text.IslParser;
import org.junit.jupiter.api.Test;

/** The exact integer box against isl's looser simple fixed box hull of the same sets. */
class BoundingBoxTest {
    private static Relation set(String text) {
        return IslParser.parse(text).parts().get(0);
    }

    @Test
    void integerBoxUsesTheStrideWhereIslsBoxDoesNot() {
        Relation s = set("{ S[i, j] : 0 <= i <= 6 and exists (e : i = 4e + 2) and -1 <= j <= 8 and j mod 2 = 0 }");
        LexOpt.IntegerBox box = LexOpt.integerBoundingBox(s).orElseThrow();
        assertThat(box.lower()).containsExactly(2, 0);
        assertThat(box.upper()).containsExactly(6, 8);
        assertThat(LexOpt.simpleFixedBoxHull(s)).isEqualTo("{ offset: \"{ S[(0), (-1)] }\", size: \"{ S[7, 10] }\" }");
    }

    @Test
    void unboundedOrEmptySetsHaveNoIntegerBox() {
        assertThat(LexOpt.integerBoundingBox(set("{ S[i] : i >= 0 }"))).isEmpty();
        assertThat(LexOpt.integerBoundingBox(set("{ S[i] : i >= 0 and i < 0 }"))).isEmpty();
    }
}
