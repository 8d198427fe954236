package dev.tessera.operators.lowering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.emulator.AcceleratorSpec;
import dev.tessera.operators.InternalCompilerError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Text in, verdict out: each case of {@code src/test/resources/lowering/verifier.lir} (separated by
 * {@code // -----}) is a loop-IR program with a comment saying why, and a line
 * {@code // expect: ok} or {@code // expect-error: <message>}; the verifier's message (after
 * {@code loop IR verification failed: }) must start with the expected one.
 */
class LoopVerifierTest {
    private static final Path FILE = Path.of("src/test/resources/lowering/verifier.lir");
    private static final String OK = "// expect: ok";
    private static final String ERROR = "// expect-error: ";

    /** One case: its program's name, its text and the expected message ({@code null} for ok). */
    record Case(String name, String program, String error) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() throws IOException {
        List<Case> out = new ArrayList<>();
        for (String c : Files.readString(FILE, StandardCharsets.UTF_8).split("// -----\n", -1)) {
            StringBuilder program = new StringBuilder();
            String error = null;
            boolean expectation = false;
            for (String line : c.split("\n", -1)) {
                if (line.equals(OK)) {
                    expectation = true;
                } else if (line.startsWith(ERROR)) {
                    expectation = true;
                    error = line.substring(ERROR.length());
                } else if (!line.startsWith("//") && !(line.isEmpty() && program.length() == 0)) {
                    program.append(line).append('\n');
                }
            }
            String text = program.toString().stripTrailing() + "\n";
            assertTrue(expectation, "case without an expectation:\n" + c);
            out.add(new Case(text.substring(0, text.indexOf('\n')), text, error));
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void verdictMatches(Case c) {
        LoopProgram p = LoopText.parse(c.program());
        AcceleratorSpec spec = AcceleratorSpec.builtIn("inferentia2");
        if (c.error() == null) {
            LoopVerifier.verify(p, spec);
            return;
        }
        InternalCompilerError e = assertThrows(InternalCompilerError.class, () -> LoopVerifier.verify(p, spec));
        String prefix = "loop IR verification failed: ";
        assertTrue(e.getMessage().startsWith(prefix + c.error()), "expected\n  " + prefix + c.error() + "\ngot\n  "
                + e.getMessage());
    }

    /**
     * The cost side: a read whose writer is a witness asks the library nothing; the split writers
     * of {@code halves}, which no single witness covers, ask one must-no-source question; the exact
     * reference asks one per access and one per buffer read.
     */
    @org.junit.jupiter.api.Test
    void proofsFromBoundsSpareTheLibrary() throws IOException {
        AcceleratorSpec spec = AcceleratorSpec.builtIn("inferentia2");
        LoopProgram cross = program("\"cross\"");
        assertEquals(new LoopVerifier.Questions(0, 0), LoopVerifier.verify(cross, spec));
        assertEquals(new LoopVerifier.Questions(6, 2), LoopVerifier.verifyExactly(cross, spec));
        assertEquals(new LoopVerifier.Questions(0, 1), LoopVerifier.verify(program("\"halves\""), spec));
    }

    private static LoopProgram program(String quotedName) throws IOException {
        return LoopText.parse(cases().stream().filter(c -> c.name().startsWith("program " + quotedName + " "))
                .findFirst().orElseThrow().program());
    }

    /** The file holds both verdicts, so neither half of the parameterized test is vacuous. */
    @ParameterizedTest
    @MethodSource("verdicts")
    void fileHasBothVerdicts(boolean failing) throws IOException {
        assertTrue(cases().stream().anyMatch(c -> (c.error() != null) == failing));
        assertEquals(cases().size(), Stream.of(cases().toArray()).distinct().count());
    }

    static List<Boolean> verdicts() {
        return List.of(true, false);
    }
}
