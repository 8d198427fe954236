package dev.tessera.emulator.program;

import dev.tessera.emulator.StorageDtype;
import java.util.List;

/**
 * A tensor in device DRAM: row-major at byte {@code address}. Inputs and weights are loaded into the
 * emulator by name before a run; outputs are returned by name; scratch is the compiler's own.
 */
public record DramTensor(String name, StorageDtype dtype, List<Integer> shape, long address, Role role) {
    /** What a DRAM tensor is for. */
    public enum Role { INPUT, WEIGHT, OUTPUT, SCRATCH }

    public DramTensor {
        shape = List.copyOf(shape);
        if (shape.isEmpty() || shape.stream().anyMatch(d -> d < 1)) {
            throw new InvalidProgramException("DRAM tensor '" + name + "' needs a shape of positive sizes, got " + shape);
        }
        if (address < 0 || address % dtype.bytes() != 0) {
            throw new InvalidProgramException("DRAM tensor '" + name + "' address " + address
                    + " must be >= 0 and a multiple of " + dtype.bytes());
        }
        if (elementsOf(shape) > Integer.MAX_VALUE) {
            throw new InvalidProgramException("DRAM tensor '" + name + "' has more than 2^31-1 elements");
        }
        long bytes = elementsOf(shape) * dtype.bytes();
        if (address > Long.MAX_VALUE - bytes) {
            throw new InvalidProgramException("DRAM tensor '" + name + "' at address " + address + " with " + bytes
                    + " bytes ends past byte 2^63-1");
        }
    }

    /** The product of the sizes, {@link Long#MAX_VALUE} if it is larger. */
    static long elementsOf(List<Integer> shape) {
        long n = 1;
        for (int d : shape) {
            if (d > 0 && n > Long.MAX_VALUE / d) {
                return Long.MAX_VALUE;
            }
            n *= d;
        }
        return n;
    }

    public long elements() {
        return elementsOf(shape);
    }

    public long bytes() {
        return elements() * dtype.bytes();
    }

    /** The first byte after the tensor. */
    public long end() {
        return address + bytes();
    }
}
