package dev.tessera.emulator.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.emulator.StorageDtype;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ProgramTextTest {
    static List<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("examples"))) {
            return files.filter(p -> p.toString().endsWith(".tasm")).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void examplesAreCanonicalApartFromTheirCommentsAndRoundTripByteForByte() throws IOException {
        assertThat(examples()).hasSizeGreaterThanOrEqualTo(5);
        for (Path file : examples()) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            String withoutComments = text.lines().filter(l -> !l.startsWith("#"))
                    .collect(Collectors.joining("\n", "", "\n"));
            MachineProgram program = ProgramText.parse(text);
            String printed = ProgramText.print(program);
            assertThat(printed).as(file.toString()).isEqualTo(withoutComments);
            assertThat(ProgramText.print(ProgramText.parse(printed))).isEqualTo(printed);
            assertThat(ProgramText.parse(printed)).isEqualTo(program);
        }
    }

    @Test
    void aBuiltProgramPrintsAndParsesBackEqual() {
        MachineProgram.Builder b = MachineProgram.builder("built");
        b.dram("x", StorageDtype.BF16, DramTensor.Role.INPUT, 4, 100);
        b.dram("y", StorageDtype.BF16, DramTensor.Role.OUTPUT, 4, 100);
        b.sbuf("t", StorageDtype.BF16, 32, 64, 4, 100);
        b.semaphore("s");
        InstructionRef load = b.dma(0, AccessPattern.tile("t", 32, 4, 0, 100), AccessPattern.dram("x", 0, Dim.of(4, 100), Dim.of(100, 1)));
        b.signal(Engine.dma(0), "s");
        b.waitFor(Engine.VECTOR, "s", 1);
        b.add(Engine.VECTOR, new Instruction.Memset(AccessPattern.onChip("t", 32, 4, 99, Dim.of(1, 1)), -1.5e-7f));
        b.add(Engine.VECTOR, new Instruction.Unary(Ops.Unary.RSQRT, AccessPattern.tile("t", 32, 4, 0, 50),
                AccessPattern.onChip("t", 32, 4, 99, Dim.of(50, -1))));
        b.semaphore("v");
        b.signal(Engine.VECTOR, "v");
        b.waitFor(Engine.dma(1), "v", 1);
        InstructionRef store = b.dma(1, AccessPattern.dram("y", 0, Dim.of(4, 100), Dim.of(100, 1)), AccessPattern.tile("t", 32, 4, 0, 100));
        b.live("t", load, store);
        MachineProgram p = b.build();
        String text = ProgramText.print(p);
        assertThat(text).contains("sbuf t bf16 [4, 100] @p32 +64 live dma0:0..dma1:1")
                .contains("memset t[32:36, +99, 1@1] = -1.5E-7")
                .contains("unary.rsqrt t[32:36, +0, 50@1] = t[32:36, +99, 50@-1]")
                .contains("dram y bf16 [4, 100] @832 output");
        assertThat(ProgramText.parse(text)).isEqualTo(p);
        assertThat(ProgramText.print(ProgramText.parse(text))).isEqualTo(text);
    }

    @Test
    void specialFloatsRoundTrip() {
        String text = "program f\nsbuf t fp32 [1, 4] @p0 +0 live vector:0..vector:2\n\nstream vector\n"
                + "  memset t[0:1, +0, 4@1] = NaN\n  memset t[0:1, +0, 4@1] = -Infinity\n"
                + "  act.exp t[0:1, +0, 4@1] = t[0:1, +0, 4@1] scale 1.0E-5 bias -0.0\n";
        assertThatThrownBy(() -> ProgramText.parse(text)).hasMessageContaining("cannot run");
        String scalar = text.replace("vector", "scalar");
        assertThat(ProgramText.print(ProgramText.parse(scalar))).isEqualTo(scalar);
    }

    private static void assertMalformed(String text, String... fragments) {
        assertThatThrownBy(() -> ProgramText.parse(text))
                .isInstanceOf(InvalidProgramException.class)
                .hasMessageContainingAll(fragments);
    }

    @Test
    void malformedTextIsRejectedWithItsLine() {
        String head = "program p\ndram x fp32 [4] @0 input\nsbuf t fp32 [1, 4] @p0 +0 live dma0:0..dma0:0\n\nstream dma0\n";
        assertMalformed("", "line 1", "empty program");
        assertMalformed("dram x fp32 [4] @0 input\n", "line 1", "starts with 'program <name>'");
        assertMalformed(head + "  dma t[0:1, +0, 4@1] <- x[+0, 4@1\n", "line 6", "expected ']'");
        assertMalformed(head + "  dma t[0:1, +0, 4@1] < x[+0, 4@1]\n", "line 6", "expected '<-', found '<'");
        assertMalformed(head + "  dmax t[0:1, +0, 4@1] <- x[+0, 4@1]\n", "line 6", "unknown instruction 'dmax'");
        assertMalformed(head + "  binary.pow t[0:1, +0, 4@1] = x[+0, 4@1], x[+0, 4@1]\n", "line 6",
                "unknown binary operation 'pow'", "add, sub, mul");
        assertMalformed(head + "  dma t[0:1, +0, 4@1] <- y[+0, 4@1]\n", "line 6", "no buffer named 'y'");
        assertMalformed(head + "  dma t[+0, 4@1] <- x[+0, 4@1]\n", "needs a partition range");
        assertMalformed(head + "  dma t[0:1, +0, 4@1] <- x[0:1, +0, 4@1]\n", "has no partitions");
        assertMalformed(head + "  dma t[0:1, +0, 4@1] <- x[+0, 4@1] extra\n", "line 6", "unexpected 'extra'");
        assertMalformed(head.replace("fp32 [4]", "fp33 [4]"), "line 2", "unknown storage dtype 'fp33'");
        assertMalformed(head.replace("input", "inptu"), "line 2", "unknown role 'inptu'");
        assertMalformed(head.replace("@p0", "@q0"), "line 3", "start partition like 'p0'");
        assertMalformed(head + "  wait s >= 1\n", "semaphore 's' is not declared");
        assertMalformed(head + "stream dma0\n", "a second stream for engine dma0");
        assertMalformed(head.replace("stream dma0", "stream gpsimd"), "line 5", "unknown engine 'gpsimd'");
        assertMalformed("program p\nsem s\n\nstream vector\n  signal s\nstream scalar\n  signal s\n",
                "already signalled by vector");
        assertMalformed(head + "  dma t[0:1, +0, 4@1] <- x[+0, 4@1]\n  matmul t[0:1, +0, 4@1] = t[0:1, +0, 1@1] * t[0:1, +0, 4@1]\n",
                "line 7", "engine dma0 cannot run");
        assertMalformed(head + "  dma t[0:1, +0, 4@0] <- x[+0, 4@1]\n", "stride 0");
        assertMalformed(head, "lives from/to dma0:0, which is not an instruction");
    }

    @Test
    void theNameCheckAcceptsWhatTheNamePatternAccepts() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(11);
        String alphabet = "aZ_09-.é€Ωx ";
        int names = 0;
        for (int n = 0; n < 20_000; n++) {
            StringBuilder sb = new StringBuilder();
            int length = r.nextInt(5);
            for (int i = 0; i < length; i++) {
                sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            String t = sb.toString();
            boolean expected = t.matches(ProgramText.NAME);
            assertThat(ProgramText.isName(t)).as("'%s'", t).isEqualTo(expected);
            names += expected ? 1 : 0;
        }
        assertThat(names).isBetween(1_000, 19_000);
    }

    @Test
    void aCheckOfTheWholeProgramNamesTheLineOfALateInstructionOfALongStream() {
        StringBuilder text = new StringBuilder("program p\ndram x fp32 [4] @0 input\nsbuf t fp32 [1, 4] @p0 +0 live dma0:0..dma0:0\n"
                + "sem s\n\nstream dma0\n  dma t[0:1, +0, 4@1] <- x[+0, 4@1]\n");
        for (int i = 1; i < 40; i++) {
            text.append(i == 37 ? "  wait nope >= 1\n" : "  signal s\n");
        }
        // Instruction dma0:37 is on line 7 + 37.
        assertMalformed(text.toString(), "line 44: dma0:37 (wait nope >= 1): semaphore 'nope' is not declared");
    }
}
