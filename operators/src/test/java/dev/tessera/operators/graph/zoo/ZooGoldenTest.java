package dev.tessera.operators.graph.zoo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.operators.graph.GraphText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fixtures' canonical text, compared with golden files under
 * {@code src/test/resources/dev/tessera/operators/graph/zoo/}. Run with {@code -Dgolden.update=true}
 * to rewrite them, then review the diff.
 */
class ZooGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/dev/tessera/operators/graph/zoo");

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "conv-relu", "residual-block", "attention-block"})
    void matchesTheGoldenText(String name) throws IOException {
        String actual = GraphText.print(Zoo.build(name));
        Path file = GOLDEN.resolve(name + ".graph");
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            // Visible as skipped: an update run rewrites, it does not check.
            Assumptions.abort("rewrote " + file + "; review the diff");
        }
        assertThat(actual).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }
}
