package dev.tessera.emulator.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.emulator.StorageDtype;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Declarations whose extent does not fit the integers it is computed in are rejected with a message, not wrapped around. */
class DeclarationsTest {
    private static final InstructionRef FIRST = new InstructionRef(Engine.dma(0), 0);

    @Test
    void anAllocationPastTheLastPartitionOrByte() {
        assertThatThrownBy(() -> new Allocation("t", Allocation.Space.SBUF, StorageDtype.FP32, List.of(128, 512), Integer.MAX_VALUE - 10,
                0, FIRST, FIRST)).isInstanceOf(InvalidProgramException.class)
                .hasMessage("allocation 't' starts at partition 2147483637 with 128 partitions: past partition 2^31-1");
        assertThatThrownBy(() -> new Allocation("t", Allocation.Space.SBUF, StorageDtype.FP32, List.of(128, 512), 0,
                Long.MAX_VALUE - 3, FIRST, FIRST)).isInstanceOf(InvalidProgramException.class)
                .hasMessage("allocation 't' at byte offset 9223372036854775804 with 2048 bytes per partition ends past byte 2^63-1");
        Allocation last = new Allocation("t", Allocation.Space.SBUF, StorageDtype.FP32, List.of(128, 512), Integer.MAX_VALUE - 128,
                Long.MAX_VALUE - 2048 - 3, FIRST, FIRST);
        assertThat(last.byteOffset() + last.bytesPerPartition()).isPositive();
    }

    @Test
    void aDramTensorPastTheLastByteOrWithTooManyElements() {
        assertThatThrownBy(() -> new DramTensor("x", StorageDtype.FP32, List.of(128, 512), Long.MAX_VALUE - 7, DramTensor.Role.INPUT))
                .isInstanceOf(InvalidProgramException.class)
                .hasMessage("DRAM tensor 'x' at address 9223372036854775800 with 262144 bytes ends past byte 2^63-1");
        // 2^64 elements: once an exception of the arithmetic, now the limit's message.
        assertThatThrownBy(() -> new DramTensor("x", StorageDtype.FP32, List.of(65536, 65536, 65536, 65536), 0, DramTensor.Role.INPUT))
                .isInstanceOf(InvalidProgramException.class).hasMessage("DRAM tensor 'x' has more than 2^31-1 elements");
        assertThatThrownBy(() -> new Allocation("t", Allocation.Space.SBUF, StorageDtype.FP32, List.of(128, 65536, 65536, 65536, 65536),
                0, 0, FIRST, FIRST)).isInstanceOf(InvalidProgramException.class).hasMessageContaining("is too large");
    }
}
