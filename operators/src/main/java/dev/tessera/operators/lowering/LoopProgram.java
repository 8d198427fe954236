package dev.tessera.operators.lowering;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A loop-IR program: buffers and statements in a defined order, for one model, one accelerator
 * profile and one storage type. Every access names a declared buffer with the buffer's rank, and
 * statement names are unique; everything else (bounds, dataflow, spec limits) is the
 * {@link LoopVerifier}'s job.
 */
public record LoopProgram(String model, String spec, ElementType dtype, List<Buffer> buffers,
        List<Statement> statements) {
    public LoopProgram {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(dtype, "dtype");
        buffers = List.copyOf(buffers);
        statements = List.copyOf(statements);
        Map<String, Buffer> byName = new LinkedHashMap<>();
        for (Buffer b : buffers) {
            if (byName.put(b.name(), b) != null) {
                throw new IllegalArgumentException("buffer '" + b.name() + "' declared twice");
            }
        }
        List<String> names = new ArrayList<>();
        for (Statement s : statements) {
            if (names.contains(s.name()) || byName.containsKey(s.name())) {
                throw new IllegalArgumentException("name '" + s.name() + "' used twice");
            }
            names.add(s.name());
            for (Access a : s.accesses()) {
                Buffer b = byName.get(a.buffer());
                if (b == null) {
                    throw new IllegalArgumentException("statement '" + s.name() + "' accesses undeclared buffer '"
                            + a.buffer() + "'");
                }
                if (b.shape().size() != a.indices().size()) {
                    throw new IllegalArgumentException("statement '" + s.name() + "' accesses " + b.name() + " of rank "
                            + b.shape().size() + " with " + a.indices().size() + " indices");
                }
            }
        }
    }

    public Buffer buffer(String name) {
        for (Buffer b : buffers) {
            if (b.name().equals(name)) {
                return b;
            }
        }
        throw new IllegalArgumentException("no buffer '" + name + "'");
    }

    /** The number of time dimensions: the longest schedule (shorter ones are padded with zeros). */
    public int scheduleDims() {
        int d = 0;
        for (Statement s : statements) {
            d = Math.max(d, s.schedule().size());
        }
        return d;
    }

    /** The DRAM buffer holding graph tensor {@code tensor}. */
    public Buffer dramBufferOf(String tensor) {
        for (Buffer b : buffers) {
            if (b.space() == MemorySpace.DRAM && b.tensor().equals(tensor)) {
                return b;
            }
        }
        throw new IllegalArgumentException("no DRAM buffer holds tensor '" + tensor + "'");
    }
}
