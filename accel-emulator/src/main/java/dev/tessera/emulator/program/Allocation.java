package dev.tessera.emulator.program;

import dev.tessera.emulator.StorageDtype;
import java.util.List;

/**
 * A buffer in SBUF or PSUM: partitions {@code [partitionStart, partitionStart + shape[0])}, the same
 * bytes {@code [byteOffset, byteOffset + free bytes)} in each, where the free bytes are the product of
 * {@code shape[1..]} times the dtype size. It is live from the instruction {@code firstUse} to the
 * instruction {@code lastUse}: the first must be ordered (by stream order and semaphores) before or
 * at every access to the buffer, the last after or at every access. Two allocations may share bytes
 * only when one's {@code lastUse} is ordered before the other's {@code firstUse}.
 */
public record Allocation(String name, Space space, StorageDtype dtype, List<Integer> shape, int partitionStart,
        long byteOffset, InstructionRef firstUse, InstructionRef lastUse) {
    /** The on-chip memory an allocation lives in. */
    public enum Space { SBUF, PSUM }

    public Allocation {
        shape = List.copyOf(shape);
        if (shape.size() < 2 || shape.stream().anyMatch(d -> d < 1)) {
            throw new InvalidProgramException("allocation '" + name
                    + "' needs a shape [partitions, free sizes...] of positive sizes, got " + shape);
        }
        if (partitionStart < 0) {
            throw new InvalidProgramException("allocation '" + name + "' starts at partition " + partitionStart);
        }
        if (byteOffset < 0 || byteOffset % dtype.bytes() != 0) {
            throw new InvalidProgramException("allocation '" + name + "' byte offset " + byteOffset
                    + " must be >= 0 and a multiple of " + dtype.bytes());
        }
        if (DramTensor.elementsOf(shape.subList(1, shape.size())) > Integer.MAX_VALUE / 8) {
            throw new InvalidProgramException("allocation '" + name + "' is too large: " + shape);
        }
        if ((long) partitionStart + shape.get(0) > Integer.MAX_VALUE) {
            throw new InvalidProgramException("allocation '" + name + "' starts at partition " + partitionStart + " with "
                    + shape.get(0) + " partitions: past partition 2^31-1");
        }
        long bytes = DramTensor.elementsOf(shape.subList(1, shape.size())) * dtype.bytes();
        if (byteOffset > Long.MAX_VALUE - bytes) {
            throw new InvalidProgramException("allocation '" + name + "' at byte offset " + byteOffset + " with " + bytes
                    + " bytes per partition ends past byte 2^63-1");
        }
    }

    public int partitions() {
        return shape.get(0);
    }

    /** Elements in each partition. */
    public int elementsPerPartition() {
        long n = 1;
        for (int i = 1; i < shape.size(); i++) {
            n *= shape.get(i);
        }
        return (int) n;
    }

    /** Bytes in each partition. */
    public long bytesPerPartition() {
        return (long) elementsPerPartition() * dtype.bytes();
    }

    /** Bytes of the whole allocation: what it adds to occupancy while live. */
    public long bytes() {
        return bytesPerPartition() * partitions();
    }

    /** Whether the two allocations share at least one byte of the same memory. */
    public boolean overlaps(Allocation o) {
        return space == o.space
                && partitionStart < o.partitionStart + o.partitions() && o.partitionStart < partitionStart + partitions()
                && byteOffset < o.byteOffset + o.bytesPerPartition() && o.byteOffset < byteOffset + bytesPerPartition();
    }
}
