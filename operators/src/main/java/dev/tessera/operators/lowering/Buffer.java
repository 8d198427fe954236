package dev.tessera.operators.lowering;

import dev.tessera.operators.graph.TensorRole;
import java.util.List;
import java.util.Objects;

/**
 * A buffer of the loop IR. DRAM buffers hold a graph tensor ({@code tensor} names it, {@code role}
 * says what it is to the model); SBUF and PSUM buffers are tiles whose dimension 0 is the
 * partition dimension and the rest the free dimensions, {@code tensor} empty and {@code role} null.
 *
 * <p>Text: {@code buffer conv1_x sbuf fp32 [3, 13, 230]} or
 * {@code buffer input dram fp32 [1, 3, 224, 224] input "input"}.
 */
public record Buffer(String name, MemorySpace space, ElementType type, List<Long> shape, String tensor,
        TensorRole role) {
    public Buffer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(type, "type");
        shape = List.copyOf(shape);
        Objects.requireNonNull(tensor, "tensor");
        if ((space == MemorySpace.DRAM) != (role != null)) {
            throw new IllegalArgumentException("buffer '" + name + "': DRAM buffers and only they have a tensor role");
        }
        if (space != MemorySpace.DRAM && shape.isEmpty()) {
            throw new IllegalArgumentException("on-chip buffer '" + name + "' needs a partition dimension");
        }
        for (long d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("buffer '" + name + "' has a non-positive dimension in " + shape);
            }
        }
    }

    public long elements() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public long bytes() {
        return Math.multiplyExact(elements(), type.bytes());
    }

    /** Bytes one partition holds: the free dimensions' elements times the element size (on-chip buffers). */
    public long bytesPerPartition() {
        return bytes() / shape.get(0);
    }

    /** isl text of the buffer's box, {@code { b[e0, e1] : 0 <= e0 < 3 and 0 <= e1 < 5 }}. */
    public String islBox() {
        return islBox(List.of());
    }

    /** The box with variable names outside {@code avoid} (so it can follow a tuple that uses them). */
    public String islBox(List<String> avoid) {
        String prefix = "e";
        while (clashes(prefix, avoid)) {
            prefix = prefix + "e";
        }
        StringBuilder vars = new StringBuilder();
        StringBuilder cond = new StringBuilder();
        for (int i = 0; i < shape.size(); i++) {
            if (i > 0) {
                vars.append(", ");
                cond.append(" and ");
            }
            vars.append(prefix).append(i);
            cond.append("0 <= ").append(prefix).append(i).append(" < ").append(shape.get(i));
        }
        return "{ " + name + "[" + vars + "]" + (shape.isEmpty() ? "" : " : " + cond) + " }";
    }

    private boolean clashes(String prefix, List<String> avoid) {
        for (String a : avoid) {
            if (a.startsWith(prefix) && a.substring(prefix.length()).chars().allMatch(Character::isDigit)) {
                return true;
            }
        }
        return false;
    }
}
