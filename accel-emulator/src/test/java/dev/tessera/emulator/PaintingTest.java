package dev.tessera.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Painting} against the plain list painting the lifetime check is defined by (every rectangle
 * visited in order, overlapped ones replaced in place by their parts outside, the new one appended):
 * the owners reported for every allocation, in order, and the rectangles left, in order; and its
 * table finds exactly the non-empty rectangles painted.
 */
class PaintingTest {
    @Test
    void theExampleOfTheClass() {
        Painting painting = new Painting();
        List<String> found = new ArrayList<>();
        Painting.Overlap note = (previous, next) -> found.add(previous + "->" + next);
        painting.paint(0, 128, 0, 1024, 0, note);
        painting.paint(0, 64, 0, 1024, 1, note);
        assertThat(painting).hasToString("[64, 128) x [0, 1024) 0; [0, 64) x [0, 1024) 1");
        painting.paint(0, 64, 0, 1024, 2, note);
        assertThat(found).containsExactly("0->1", "1->2");
        assertThat(painting).hasToString("[64, 128) x [0, 1024) 0; [0, 64) x [0, 1024) 2");
    }

    @Test
    void reportsWhatThePlainPaintingReports() {
        SplittableRandom r = new SplittableRandom(11);
        for (int round = 0; round < 400; round++) {
            // A few slots reused whole (what a code generator does), sometimes a rectangle of its own.
            int slots = 1 + r.nextInt(12);
            // Empty rectangles (which programs cannot declare) in one round of four.
            boolean empties = round % 4 == 3;
            long[][] slot = new long[slots][];
            for (int s = 0; s < slots; s++) {
                slot[s] = rectangle(r, empties);
            }
            Painting painting = new Painting();
            List<long[]> plain = new ArrayList<>();
            List<String> found = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            int allocations = 1 + r.nextInt(r.nextBoolean() ? 30 : 400);
            for (int a = 0; a < allocations; a++) {
                long[] rect = r.nextInt(5) == 0 ? rectangle(r, empties) : slot[r.nextInt(slots)];
                int owner = a;
                painting.paint((int) rect[0], (int) rect[1], rect[2], rect[3], owner, (previous, next) -> found.add(previous + "->" + next));
                List<long[]> next = new ArrayList<>();
                for (long[] q : plain) {
                    if (!(q[0] < rect[1] && rect[0] < q[1] && q[2] < rect[3] && rect[2] < q[3])) {
                        next.add(q);
                        continue;
                    }
                    expected.add(q[4] + "->" + owner);
                    long m0 = Math.max(q[0], rect[0]);
                    long m1 = Math.min(q[1], rect[1]);
                    if (q[0] < rect[0]) {
                        next.add(new long[] {q[0], rect[0], q[2], q[3], q[4]});
                    }
                    if (rect[1] < q[1]) {
                        next.add(new long[] {rect[1], q[1], q[2], q[3], q[4]});
                    }
                    if (q[2] < rect[2]) {
                        next.add(new long[] {m0, m1, q[2], rect[2], q[4]});
                    }
                    if (rect[3] < q[3]) {
                        next.add(new long[] {m0, m1, rect[3], q[3], q[4]});
                    }
                }
                next.add(new long[] {rect[0], rect[1], rect[2], rect[3], owner});
                plain = next;
                assertThat(found).as("round %d, allocation %d", round, a).isEqualTo(expected);
                assertThat(painting.toString()).as("round %d, allocation %d", round, a).isEqualTo(text(plain));
                assertThat(painting.size()).isEqualTo(plain.size());
                // The table finds every non-empty rectangle painted, and nothing else.
                for (long[] q : plain) {
                    assertThat(painting.holds((int) q[0], (int) q[1], q[2], q[3])).isEqualTo(q[0] < q[1] && q[2] < q[3]);
                }
                for (long[] q : slot) {
                    boolean painted = plain.stream().anyMatch(x -> x[0] == q[0] && x[1] == q[1] && x[2] == q[2] && x[3] == q[3]);
                    assertThat(painting.holds((int) q[0], (int) q[1], q[2], q[3])).isEqualTo(painted && q[0] < q[1] && q[2] < q[3]);
                }
            }
        }
    }

    /** Partitions and bytes on a coarse grid, so rectangles often share edges; if asked, now and then an empty one. */
    private static long[] rectangle(SplittableRandom r, boolean empties) {
        int p0 = 32 * r.nextInt(4);
        int p1 = p0 + 32 * r.nextInt(empties && r.nextInt(20) == 0 ? 0 : 1, 5 - p0 / 32);
        long lo = 256L * r.nextInt(8);
        long hi = lo + 256L * r.nextInt(empties && r.nextInt(20) == 0 ? 0 : 1, 5);
        return new long[] {p0, p1, lo, hi};
    }

    private static String text(List<long[]> rects) {
        StringBuilder sb = new StringBuilder();
        for (long[] q : rects) {
            sb.append(sb.isEmpty() ? "" : "; ").append('[').append(q[0]).append(", ").append(q[1]).append(") x [").append(q[2])
                    .append(", ").append(q[3]).append(") ").append(q[4]);
        }
        return sb.toString();
    }
}
