package dev.tessera.polyhedral;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.polyhedral.calc.PolyCalculator;
import dev.tessera.polyhedral.text.IslParser;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Algebraic laws and point-by-point checks against the definitions, on random unions of small
 * 2-D sets with strides and existentials ({@link RandomSet}): membership of every point of the
 * box is decided by the set's own predicate, independently of the library.
 */
class PresburgerLawsTest {
    private static Relation rel(RandomSet s) {
        return IslParser.parse(s.text()).parts().get(0);
    }

    private static boolean member(Relation r, int i, int j) {
        Relation p = IslParser.parse("{ [" + i + ", " + j + "] }").parts().get(0);
        return !p.intersect(r).isEmpty();
    }

    private static long enumerate(java.util.function.BiPredicate<Integer, Integer> p) {
        long n = 0;
        for (int i = -RandomSet.B; i <= RandomSet.B; i++) {
            for (int j = -RandomSet.B; j <= RandomSet.B; j++) {
                if (p.test(i, j)) {
                    n++;
                }
            }
        }
        return n;
    }

    @Property(tries = 15)
    void setOperationsMatchTheDefinitionsPointByPoint(@ForAll long seed) {
        Random rnd = new Random(seed);
        RandomSet a = RandomSet.random(rnd);
        RandomSet b = RandomSet.random(rnd);
        Relation ra = rel(a);
        Relation rb = rel(b);
        Relation diff = ra.subtract(rb);
        Relation inter = ra.intersect(rb);
        for (int i = -RandomSet.B - 1; i <= RandomSet.B + 1; i++) {
            for (int j = -RandomSet.B - 1; j <= RandomSet.B + 1; j++) {
                boolean inA = a.contains(i, j);
                boolean inB = b.contains(i, j);
                assertThat(member(ra, i, j)).as("%s contains (%d,%d)", a, i, j).isEqualTo(inA);
                assertThat(member(diff, i, j)).as("(%s) minus (%s) at (%d,%d)", a, b, i, j).isEqualTo(inA && !inB);
                assertThat(member(inter, i, j)).as("intersection at (%d,%d)", i, j).isEqualTo(inA && inB);
            }
        }
        assertThat(Counting.count(ra)).as("card %s", a).isEqualTo(enumerate(a::contains));
        assertThat(Counting.count(diff)).isEqualTo(enumerate((i, j) -> a.contains(i, j) && !b.contains(i, j)));
        assertThat(ra.isEmpty()).isEqualTo(enumerate(a::contains) == 0);
    }

    @Property(tries = 15)
    void unionIntersectionAndDifferenceLaws(@ForAll long seed) {
        Random rnd = new Random(seed);
        Relation a = rel(RandomSet.random(rnd));
        Relation b = rel(RandomSet.random(rnd));
        assertThat(a.isSubset(a.union(b))).isTrue();
        assertThat(a.subtract(b).intersect(b).isEmpty()).isTrue();
        assertThat(a.subtract(b).union(a.intersect(b)).isEqual(a)).isTrue();
        assertThat(a.isDisjoint(b)).isEqualTo(a.intersect(b).isEmpty());
        long ca = Counting.count(a);
        long cb = Counting.count(b);
        assertThat(Counting.count(a.union(b))).isEqualTo(ca + cb - Counting.count(a.intersect(b)));
    }

    @Property(tries = 15)
    void relationLaws(@ForAll long seed) {
        Random rnd = new Random(seed);
        RandomSet s = RandomSet.random(rnd);
        Relation r = IslParser.parse(s.text().replace("{ [i, j] :", "{ [i] -> [j] :")).parts().get(0);
        assertThat(r.reverse().reverse().isEqual(r)).isTrue();
        assertThat(r.domain().apply(r).isEqual(r.range())).isTrue();
        assertThat(r.reverse().domain().isEqual(r.range())).isTrue();
        Relation rr = r.applyRange(r.reverse());
        assertThat(r.domain().identity().isSubset(rr)).isTrue();
        assertThat(rr.reverse().isEqual(rr)).isTrue();
    }

    @Property(tries = 15)
    void printedTextParsesBackToTheSameSet(@ForAll long seed) {
        Random rnd = new Random(seed);
        Relation a = rel(RandomSet.random(rnd));
        Relation b = rel(RandomSet.random(rnd));
        Relation d = a.subtract(b);
        String text = d.toString();
        Relation back = IslParser.parse(text).parts().get(0);
        assertThat(back.isEqual(d)).as(text).isTrue();
        assertThat(d.toString()).as("deterministic printing").isEqualTo(text);
        assertThat(PolyCalculator.answer("is_equal\t" + text + "\t" + a.subtract(b))).isEqualTo("true");
    }
}
