package dev.tessera.benchmarks.poly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProblemFileTest {
    @TempDir
    Path dir;

    @Test
    void goldenLinesLoseTheirAnswerAndPointsAndCommentsAreSkipped() throws IOException {
        Path f = write("# family pool",
                "is_empty\t{ [i] : i > i }\ttrue",
                "apply\t{ O[0] }\t{ O[oh] -> I[2oh] }\t{ I[0] }",
                "#in\t{ I[0] }",
                "#out\t{ I[1] }",
                "");
        assertThat(ProblemFile.read(f, true).problems()).containsExactly(
                new ProblemFile.Problem("is_empty", "is_empty\t{ [i] : i > i }"),
                new ProblemFile.Problem("apply", "apply\t{ O[0] }\t{ O[oh] -> I[2oh] }"));
    }

    @Test
    void rawProblemLinesAreKeptWhole() throws IOException {
        Path f = write("card\t{ [i] : 0 <= i < 10 }");
        assertThat(ProblemFile.read(f, false).problems())
                .containsExactly(new ProblemFile.Problem("card", "card\t{ [i] : 0 <= i < 10 }"));
    }

    @Test
    void refusesLinesWithoutArgumentsAndEmptyFiles() throws IOException {
        Path noArgs = write("is_empty\ttrue");
        assertThatThrownBy(() -> ProblemFile.read(noArgs, true))
                .isInstanceOf(IOException.class).hasMessageContaining(":1: no op and arguments");
        Path empty = write("# nothing");
        assertThatThrownBy(() -> ProblemFile.read(empty, true))
                .isInstanceOf(IOException.class).hasMessageContaining("no problems");
    }

    private Path write(String... lines) throws IOException {
        Path f = Files.createTempFile(dir, "problems", ".tsv");
        Files.write(f, List.of(lines));
        return f;
    }
}
