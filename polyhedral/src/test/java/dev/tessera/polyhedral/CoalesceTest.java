package dev.tessera.polyhedral;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.polyhedral.text.IslParser;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Relation#coalesce}: pairs that fuse, pairs that must not, and the same points on random unions. */
class CoalesceTest {
    private static Relation set(String text) {
        return IslParser.parse(text).parts().get(0);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{ [i] : 0 <= i <= 4; [i] : 5 <= i <= 9 }                                       | 1",
        "{ [i] : 0 <= i <= 4; [i] : 6 <= i <= 9 }                                       | 2", // the hole at 5
        "{ [i] : 0 <= i <= 6; [i] : 3 <= i <= 9 }                                       | 1",
        "{ [i, j] : 0 <= i <= 4 and 0 <= j <= 1; [i, j] : 0 <= i <= 4 and 2 <= j <= 5 } | 1",
        "{ [i, j] : 0 <= i <= 4 and 0 <= j <= 1; [i, j] : 0 <= i <= 1 and 0 <= j <= 4 } | 2", // an L is not convex
        "{ [i] : 0 <= i <= 9 and i mod 2 = 0; [i] : 10 <= i <= 19 and i mod 2 = 0 }     | 1",
        "{ [i] : 0 <= i <= 9 and i mod 2 = 0; [i] : 10 <= i <= 19 and i mod 3 = 0 }     | 2", // different divs
        "[N] -> { [i] : 0 <= i < N; [i] : N <= i <= 2N }                                | 1",
        "[N] -> { [i] : 0 <= i < N; [i] : N < i <= 2N }                                 | 2", // the hole at N
    })
    void fusesExactlyWhenTheUnionIsOneConjunction(String text, int pieces) {
        Relation r = set(text.trim());
        Relation c = r.coalesce();
        assertThat(c.pieces()).as(c.toString()).hasSize(pieces);
        assertThat(c.isEqual(r)).as(c.toString()).isTrue();
    }

    @Property(tries = 30)
    void coalescingKeepsEveryPoint(@ForAll long seed) {
        Random rnd = new Random(seed);
        RandomSet a = RandomSet.random(rnd);
        Relation r = set(a.text());
        Relation c = r.coalesce();
        assertThat(c.pieces().size()).isLessThanOrEqualTo(r.pieces().size());
        for (int i = -RandomSet.B - 1; i <= RandomSet.B + 1; i++) {
            for (int j = -RandomSet.B - 1; j <= RandomSet.B + 1; j++) {
                Relation p = set("{ [" + i + ", " + j + "] }");
                assertThat(!p.intersect(c).isEmpty()).as("%s at (%d,%d): %s", a, i, j, c).isEqualTo(a.contains(i, j));
            }
        }
    }
}
