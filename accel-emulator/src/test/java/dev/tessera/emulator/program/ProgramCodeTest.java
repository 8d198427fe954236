package dev.tessera.emulator.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.emulator.StorageDtype;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProgramCodeTest {
    private static final int NONE = ProgramCode.NONE;

    private static int[] record(ProgramCode code, int s, int i) {
        int[] r = new int[ProgramCode.RECORD];
        code.copyRecord(s, i, r, 0);
        return r;
    }

    @Test
    void theReluExampleIsEncodedWithOnePatternPerTileAndItsNamesResolved() throws IOException {
        MachineProgram p = ProgramText.parse(Files.readString(Path.of("examples/relu.tasm")));
        ProgramCode code = p.code();
        // Buffers: x, y (DRAM), then t. Streams in program order: dma0, scalar, dma1.
        assertThat(code.buffers()).isEqualTo(3);
        assertThat(code.dramTensors()).isEqualTo(2);
        assertThat(code.streams()).isEqualTo(3);
        // Patterns in order of first use, the write of an instruction before its reads: t, x, y.
        assertThat(code.patterns()).isEqualTo(3);
        assertThat(code.pattern(0).text()).isEqualTo("t[0:128, +0, 512@1]");
        assertThat(code.patternBuffer(0)).isEqualTo(2);
        assertThat(code.pattern(1).text()).isEqualTo("x[+0, 128@512, 512@1]");
        assertThat(code.patternBuffer(1)).isEqualTo(0);
        assertThat(code.patternBuffer(2)).isEqualTo(1);
        assertThat(record(code, 0, 0)).containsExactly(ProgramCode.DMA, 1, NONE, NONE, 0);
        assertThat(record(code, 0, 1)).containsExactly(ProgramCode.SIGNAL, 0, NONE, NONE, NONE);
        assertThat(record(code, 1, 0)).containsExactly(ProgramCode.WAIT, 0, 1, NONE, NONE);
        // act.relu reads and writes the tile: the same pattern, though the parser made two objects.
        assertThat(record(code, 1, 1)).containsExactly(ProgramCode.ACTIVATION, 0, NONE, NONE, 0);
        assertThat(record(code, 2, 1)).containsExactly(ProgramCode.DMA, 0, NONE, NONE, 2);
        // Sizes kept per pattern and per buffer.
        assertThat(code.patternPartitions(0)).isEqualTo(128);
        assertThat(code.patternElementsPerPartition(0)).isEqualTo(512);
        assertThat(code.patternPartitions(1)).isEqualTo(1);
        assertThat(code.patternMaxIndex(1)).isEqualTo(127L * 512 + 511);
        assertThat(code.bufferPartitions(2)).isEqualTo(128);
        assertThat(code.bufferElements(0)).isEqualTo(128 * 512);
        assertThat(code.bufferDtype(1)).isEqualTo(StorageDtype.FP32);
        // t lives from dma0:0 to dma1:1.
        assertThat(code.firstUseStream(0)).isEqualTo(0);
        assertThat(code.firstUseIndex(0)).isEqualTo(0);
        assertThat(code.lastUseStream(0)).isEqualTo(2);
        assertThat(code.lastUseIndex(0)).isEqualTo(1);
    }

    @Test
    void aPatternOtherThanTheLastOnItsBufferIsANewPatternAndReductionsKeepTheirAxes() {
        MachineProgram.Builder b = MachineProgram.builder("code");
        b.sbuf("a", StorageDtype.FP32, 0, 0, 32, 64);
        b.sbuf("r", StorageDtype.FP32, 0, 256, 32, 8);
        AccessPattern whole = AccessPattern.tile("a", 0, 32, 0, 64);
        AccessPattern half = AccessPattern.tile("a", 0, 32, 0, 32);
        InstructionRef first = b.add(Engine.VECTOR, new Instruction.Memset(whole, 0f));
        b.add(Engine.VECTOR, new Instruction.Memset(half, 1f));
        b.add(Engine.VECTOR, new Instruction.Memset(AccessPattern.tile("a", 0, 32, 0, 64), 2f));
        InstructionRef last = b.add(Engine.VECTOR, new Instruction.Reduce(Ops.Reduce.MAX, AccessPattern.tile("r", 0, 32, 0, 8),
                AccessPattern.onChip("a", 0, 32, 0, Dim.of(8, 8), Dim.of(8, 1)), 1));
        b.live("a", first, last);
        b.live("r", last, last);
        ProgramCode code = b.build().code();
        // whole (0), half (1), whole again after half (2: only the last pattern of a buffer is shared), r (3), a's 8x8 (4).
        assertThat(code.patterns()).isEqualTo(5);
        assertThat(record(code, 0, 0)[ProgramCode.WRITE]).isEqualTo(0);
        assertThat(record(code, 0, 1)[ProgramCode.WRITE]).isEqualTo(1);
        assertThat(record(code, 0, 2)[ProgramCode.WRITE]).isEqualTo(2);
        assertThat(record(code, 0, 3)).containsExactly(ProgramCode.REDUCE, 4, NONE, NONE, 3);
        assertThat(code.kind(0, 3)).isEqualTo(ProgramCode.REDUCE);
        assertThat(code.axes(0, 3)).isEqualTo(1);
        assertThat(code.patternDims(4)).isEqualTo(2);
    }

    @Test
    void encodingChecksNamesAndSpacesWithMessagesNamingTheInstruction() {
        MachineProgram.Builder b = MachineProgram.builder("bad");
        b.dram("x", StorageDtype.FP32, DramTensor.Role.INPUT, 4, 4);
        b.psum("acc", 0, 0, 4, 4);
        b.semaphore("s");
        InstructionRef load = b.dma(0, AccessPattern.tile("acc", 0, 4, 0, 4), AccessPattern.dram("x", 0, Dim.of(16, 1)));
        b.live("acc", load, load);
        assertThatThrownBy(b::build).isInstanceOf(InvalidProgramException.class)
                .hasMessage("dma0:0 (dma acc[0:4, +0, 4@1] <- x[+0, 16@1]): DMA reaches DRAM and SBUF, not PSUM (acc[0:4, +0, 4@1])");
        MachineProgram.Builder c = MachineProgram.builder("bad2");
        c.sbuf("t", StorageDtype.FP32, 0, 0, 4, 4);
        InstructionRef w = c.waitFor(Engine.VECTOR, "nope", 1);
        InstructionRef m = c.add(Engine.VECTOR, new Instruction.Memset(AccessPattern.tile("t", 0, 4, 0, 4), 0f));
        c.live("t", m, m);
        assertThatThrownBy(c::build).isInstanceOf(InvalidProgramException.class)
                .hasMessage("vector:0 (wait nope >= 1): semaphore 'nope' is not declared");
        assertThat(w.index()).isZero();
    }

    @Test
    void nullNamesAreRejectedNotMistakenForCachedOnes() {
        MachineProgram.Builder b = MachineProgram.builder("nulls");
        b.semaphore("s");
        b.sbuf("t", StorageDtype.FP32, 0, 0, 4, 4);
        InstructionRef m = b.add(Engine.SCALAR, new Instruction.Memset(AccessPattern.tile("t", 0, 4, 0, 4), 0f));
        b.signal(Engine.SCALAR, "s");
        b.waitFor(Engine.SCALAR, null, 1);
        b.live("t", m, m);
        assertThatThrownBy(b::build).isInstanceOf(InvalidProgramException.class)
                .hasMessage("scalar:2 (wait null >= 1): semaphore 'null' is not declared");
        assertThatThrownBy(() -> AccessPattern.tile(null, 0, 4, 0, 4)).isInstanceOf(InvalidProgramException.class)
                .hasMessage("an operand needs the name of its buffer, got null");
    }
}
