package dev.tessera.operators.lowering;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.emulator.AcceleratorSpec;
import dev.tessera.operators.graph.GraphLimits;
import dev.tessera.operators.graph.GraphText;
import dev.tessera.operators.graph.GraphValidator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Text in, text out: each case of {@code src/test/resources/lowering/families.lir} (separated by
 * {@code // -----}) is a graph, a line {@code // expect:}, and the loop IR its lowering must print
 * (on inferentia2, fp32). {@code -Dgolden.update=true} rewrites the expectations for review.
 */
class GoldenLoweringTest {
    private static final Path FILE = Path.of("src/test/resources/lowering/families.lir");
    private static final String SEPARATOR = "// -----\n";
    private static final String EXPECT = "// expect:\n";

    @Test
    void everyCaseLowersToItsExpectedText() throws IOException {
        String text = Files.readString(FILE, StandardCharsets.UTF_8);
        boolean update = Boolean.getBoolean("golden.update");
        List<String> rewritten = new ArrayList<>();
        for (String c : text.split(SEPARATOR, -1)) {
            int at = c.indexOf(EXPECT);
            String graph = c.substring(0, at);
            String expected = c.substring(at + EXPECT.length());
            String graphText = graph.lines().filter(l -> !l.startsWith("//")).reduce("", (a, b) -> a + b + "\n");
            LoopProgram p = Lowering.lower(GraphValidator.validate(GraphText.parse(graphText), GraphLimits.DEFAULTS),
                    AcceleratorSpec.builtIn("inferentia2"), LoweringOptions.DEFAULTS);
            String actual = LoopText.print(p);
            assertEquals(actual, LoopText.print(LoopText.parse(actual)), "round trip");
            if (update) {
                rewritten.add(graph + EXPECT + actual);
            } else {
                assertEquals(expected, actual, "case:\n" + graph);
            }
        }
        if (update) {
            Files.writeString(FILE, String.join(SEPARATOR, rewritten), StandardCharsets.UTF_8);
        }
    }
}
