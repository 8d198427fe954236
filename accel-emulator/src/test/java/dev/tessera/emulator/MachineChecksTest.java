package dev.tessera.emulator;

import static dev.tessera.emulator.Programs.INF1;
import static dev.tessera.emulator.Programs.INF2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.emulator.MachineCheckException.Kind;
import dev.tessera.emulator.program.Engine;
import dev.tessera.emulator.program.InstructionRef;
import dev.tessera.emulator.program.ProgramText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Test;

/** Programs that break a rule: each fails with the rule's kind and a message naming the instructions. */
class MachineChecksTest {
    private static String relu() throws IOException {
        return Files.readString(Path.of("examples", "relu.tasm"), StandardCharsets.UTF_8);
    }

    private static MachineCheckException fails(String text, AcceleratorSpec spec, Kind kind, String... fragments) {
        ThrowableAssert.ThrowingCallable run = () -> Emulator.run(ProgramText.parse(text), spec, Emulator.Options.timingOnly());
        assertThatThrownBy(run).isInstanceOf(MachineCheckException.class).hasMessageContainingAll(fragments);
        try {
            run.call();
        } catch (Throwable e) {
            MachineCheckException m = (MachineCheckException) e;
            assertThat(m.kind()).isEqualTo(kind);
            return m;
        }
        throw new AssertionError("unreachable");
    }

    private static InstructionRef ref(String text) {
        return InstructionRef.parse(text);
    }

    @Test
    void anOperandOutsideItsAllocation() throws IOException {
        String text = relu().replace("act.relu t[0:128, +0, 512@1] = t[0:128, +0, 512@1]",
                "act.relu t[0:128, +0, 512@1] = t[0:128, +1, 512@1]");
        MachineCheckException e = fails(text, INF2, Kind.OUT_OF_BOUNDS, "scalar:1 (act.relu", "touches elements 1..512",
                "sbuf allocation 't' (512 elements per partition)");
        assertThat(e.instructions()).containsExactly(ref("scalar:1"));
        fails(relu().replace("dma t[0:128, +0, 512@1] <- x[+0, 128@512, 512@1]", "dma t[0:128, +0, 512@1] <- x[+512, 128@512, 512@1]"),
                INF2, Kind.OUT_OF_BOUNDS, "dma0:0", "touches elements 512..66047", "DRAM tensor 'x' (65536 elements)");
    }

    @Test
    void anAllocationOutsideTheMemory() throws IOException {
        assertThat(Emulator.run(ProgramText.parse(relu().replace("@p0 +0 live", "@p0 +194560 live")), INF2,
                Emulator.Options.timingOnly()).sbuf().peakBytes()).isEqualTo(128 * 2048);
        fails(relu().replace("@p0 +0 live", "@p0 +196000 live"), INF2, Kind.OUT_OF_BOUNDS,
                "allocation 't' spans bytes 196000..198047", "a SBUF partition of inferentia2 has 196608 bytes");
        fails(relu().replace("@p0 +0 live", "@p0 +196608 live"), INF2, Kind.OUT_OF_BOUNDS, "allocation 't' spans bytes 196608..198655");
    }

    @Test
    void aBadPartitionStart() throws IOException {
        String text = relu().replace("act.relu t[0:128, +0, 512@1] = t[0:128, +0, 512@1]",
                "act.relu t[16:48, +0, 512@1] = t[16:48, +0, 512@1]");
        MachineCheckException e = fails(text, INF2, Kind.PARTITION_RULE, "scalar:1 (act.relu t[16:48",
                "spans 32 partitions starting at partition 16", "allows starts [0, 32, 64, 96]");
        assertThat(e.instructions()).containsExactly(ref("scalar:1"));
        // A DMA may start anywhere: the same region loaded by DMA is fine.
        String dma = relu().replace("dma t[0:128, +0, 512@1] <- x[+0, 128@512, 512@1]",
                "dma t[16:48, +0, 512@1] <- x[+0, 32@512, 512@1]\n  dma t[0:16, +0, 512@1] <- x[+16384, 16@512, 512@1]\n"
                        + "  dma t[48:128, +0, 512@1] <- x[+24576, 80@512, 512@1]").replace("dma0:0..", "dma0:0..");
        assertThat(Emulator.run(ProgramText.parse(dma), INF2, Emulator.Options.timingOnly()).totalNs()).isPositive();
    }

    @Test
    void aMissingSemaphoreIsARaceNamingBothInstructions() throws IOException {
        // The scalar engine reads the tile without waiting for its load.
        String readAfterWrite = relu().replace("  wait loaded >= 1\n", "");
        MachineCheckException e = fails(readAfterWrite, INF2, Kind.RACE, "scalar:0 (act.relu", "dma0:0 (dma t[0:128",
                "no semaphore orders them");
        assertThat(e.instructions()).containsExactlyInAnyOrder(ref("scalar:0"), ref("dma0:0"));
        // The store reads the tile while the scalar engine still overwrites it.
        String writeAfterRead = relu().replace("  wait done >= 1\n", "  wait loaded >= 1\n").replace("sem done\n", "sem done\nsem unused\n");
        MachineCheckException war = fails(writeAfterRead, INF2, Kind.RACE, "scalar:1", "dma1:1", "sbuf allocation 't'");
        assertThat(war.instructions()).containsExactlyInAnyOrder(ref("scalar:1"), ref("dma1:1"));
    }

    @Test
    void theRaceIsFoundEvenWhenTheEmulatedTimesHappenToOrderTheAccesses() throws IOException {
        // Without the wait the scalar engine first memsets a scratch tile for longer than the load
        // takes, so by the clock the load is done: still a race, since nothing orders it.
        String text = relu().replace("  wait loaded >= 1\n", "  memset u[0:128, +0, 40000@1] = 0.0\n")
                .replace("sbuf t fp32", "sbuf u fp32 [128, 40000] @p0 +2048 live scalar:0..scalar:0\nsbuf t fp32");
        var program = ProgramText.parse(text.replace("  act.relu", "  wait loaded >= 1\n  act.relu")
                .replace("live dma0:0..dma1:1", "live dma0:0..dma1:1"));
        // With the wait, the same program runs; the load ends long before the memset does.
        ExecutionReport ok = Emulator.run(program, INF2, Emulator.Options.timingOnly());
        assertThat(ok.timeline().stream().filter(t -> t.engine().equals(Engine.dma(0)) && t.index() == 0)
                .findFirst().orElseThrow().endNs()).isLessThan((60 + 40000) / 1.4);
        fails(text, INF2, Kind.RACE, "scalar:1 (act.relu", "dma0:0");
    }

    @Test
    void aReadOfNeverWrittenMemory() throws IOException {
        String text = relu().replace("  dma t[0:128, +0, 512@1] <- x[+0, 128@512, 512@1]\n",
                "  dma t[0:128, +0, 256@1] <- x[+0, 128@512, 256@1]\n");
        MachineCheckException e = fails(text, INF2, Kind.UNINITIALIZED_READ, "scalar:1 (act.relu", "no instruction writes all of",
                "partitions [0, 128) elements [0, 512)");
        assertThat(e.instructions()).containsExactly(ref("scalar:1"));
    }

    @Test
    void aWaitThatIsNeverSatisfied() throws IOException {
        fails(relu().replace("wait done >= 1", "wait done >= 2"), INF2, Kind.DEADLOCK,
                "dma1:0 (wait done >= 2) waits for done >= 2, which is signalled 1 times");
    }

    @Test
    void lifetimes() throws IOException {
        // A second tile on the same bytes, written while t is still live.
        String overlap = relu().replace("sem loaded\n", "sbuf v fp32 [128, 4] @p0 +1024 live scalar:2..scalar:2\nsem loaded\n")
                .replace("  signal done\n", "  memset v[0:128, +0, 4@1] = 1.0\n  signal done\n");
        fails(overlap, INF2, Kind.LIFETIME, "allocations 't' and 'v' share SBUF bytes and are live at the same time");
        // An access before the lifetime starts.
        fails(relu().replace("live dma0:0..dma1:1", "live scalar:1..dma1:1"), INF2, Kind.LIFETIME,
                "dma0:0 (dma t[0:128", "whose lifetime starts at scalar:1");
        // An access after it ends.
        fails(relu().replace("live dma0:0..dma1:1", "live dma0:0..scalar:1"), INF2, Kind.LIFETIME,
                "dma1:1 (dma y", "after its lifetime ended at scalar:1");
    }

    @Test
    void tileLimits() throws IOException {
        String mm = """
                program mm
                dram a fp32 [128, 1024] @0 input
                sbuf s fp32 [128, 1024] @p0 +0 live dma0:0..tensor:1
                psum acc fp32 [128, 1024] @p0 +0 live tensor:1..tensor:1
                sem s0

                stream dma0
                  dma s[0:128, +0, 1024@1] <- a[+0, 128@1024, 1024@1]
                  signal s0

                stream tensor
                  wait s0 >= 1
                  MATMUL
                """;
        fails(mm.replace("MATMUL", "matmul acc[0:128, +0, 1024@1] = s[0:128, +0, 128@1] * s[0:128, +0, 1024@1]"), INF2,
                Kind.LIMIT, "tensor:1 (matmul", "moving free size N = 1024 exceeds max_moving_free 512");
        fails(mm.replace("MATMUL", "matmul acc[0:128, +256, 512@1] = s[0:128, +0, 128@1] * s[0:128, +0, 512@1]"), INF2,
                Kind.LIMIT, "spans PSUM bytes 1024..3071", "across banks 0 and 1");
        fails(mm.replace("MATMUL", "matmul acc[0:128, +0, 512@1] = s[0:128, +0, 129@1] * s[0:128, +0, 512@1]"), INF2,
                Kind.LIMIT, "stationary free size M = 129 exceeds max_stationary_free 128");
        fails(mm.replace("MATMUL", "matmul acc[0:64, +0, 512@1] = s[0:128, +0, 128@1] * s[0:128, +0, 512@1]"), INF2,
                Kind.LIMIT, "the result is M x N = 128 x 512, but the destination is 64 x 512");
        fails(mm.replace("MATMUL", "matmul acc[0:128, +0, 512@1] = s[0:128, +0, 128@1] * s[0:128, +0, 2@1, 2@1, 2@1, 2@1, 32@1]"),
                INF2, Kind.LIMIT, "has 5 dimensions; inferentia2 allows 4");
    }

    @Test
    void aMatmulRepeatingTwoOfTheLastOnesPatternsIsStillChecked() {
        // Stationary and moving tiles on buffers of their own, so that repeating one repeats its pattern.
        String mm = """
                program mm
                dram a fp32 [128, 1024] @0 input
                sbuf w fp32 [128, 256] @p0 +0 live dma0:0..tensor:2
                sbuf x fp32 [128, 1024] @p0 +1024 live dma0:1..tensor:2
                psum acc fp32 [128, 1024] @p0 +0 live tensor:1..tensor:2
                sem s0

                stream dma0
                  dma w[0:128, +0, 256@1] <- a[+0, 128@1024, 256@1]
                  dma x[0:128, +0, 1024@1] <- a[+0, 128@1024, 1024@1]
                  signal s0

                stream tensor
                  wait s0 >= 1
                  matmul acc[0:128, +0, 512@1] = w[0:128, +0, 128@1] * x[0:128, +0, 512@1]
                  SECOND
                """;
        String fine = "matmul acc[0:128, +0, 512@1] += w[0:128, +0, 128@1] * x[0:128, +0, 512@1]";
        assertThat(Emulator.run(ProgramText.parse(mm.replace("SECOND", fine)), INF2, Emulator.Options.timingOnly()).macs())
                .isEqualTo(2L * 128 * 128 * 512);
        fails(mm.replace("SECOND", "matmul acc[0:128, +256, 512@1] = w[0:128, +0, 128@1] * x[0:128, +0, 512@1]"), INF2,
                Kind.LIMIT, "tensor:2 (matmul", "across banks 0 and 1");
        fails(mm.replace("SECOND", "matmul acc[0:128, +0, 512@1] = w[0:128, +0, 128@1] * x[0:128, +0, 1024@1]"), INF2,
                Kind.LIMIT, "tensor:2 (matmul", "moving free size N = 1024 exceeds");
        fails(mm.replace("SECOND", "matmul acc[0:128, +0, 512@1] = w[0:128, +0, 129@1] * x[0:128, +0, 512@1]"), INF2,
                Kind.LIMIT, "tensor:2 (matmul", "stationary free size M = 129 exceeds");
    }

    @Test
    void moreDmaQueuesThanTheSpecHas() throws IOException {
        String text = relu().replace("dma1", "dma4");
        assertThat(Emulator.run(ProgramText.parse(text), INF2, Emulator.Options.timingOnly()).engines())
                .extracting(u -> u.engine().text()).containsExactly("scalar", "dma0", "dma4");
        fails(text, INF1, Kind.LIMIT, "uses DMA queue dma4, but inferentia1 has 4 (dma0..dma3)");
    }

    @Test
    void functionalRunsNeedTheDataOfInputsAndWeights() throws IOException {
        var program = ProgramText.parse(relu());
        assertThatThrownBy(() -> Emulator.run(program, INF2, Emulator.Options.functional(Map.of())))
                .isInstanceOf(MachineCheckException.class).hasMessageContaining("no data for input tensor 'x' [128, 512]");
        assertThatThrownBy(() -> Emulator.run(program, INF2, Emulator.Options.functional(Map.of("x", new float[3]))))
                .hasMessageContaining("data for 'x' has 3 values; its shape [128, 512] holds 65536");
        assertThatThrownBy(() -> Emulator.run(program, INF2,
                Emulator.Options.functional(Map.of("x", new float[65536], "q", new float[1]))))
                .hasMessageContaining("data given for 'q', which is not a DRAM tensor");
        assertThat(Engine.parse("dma12")).isEqualTo(Engine.dma(12));
    }
}
