package dev.tessera.operators.lowering;

import java.util.Locale;

/** Where a buffer lives: device DRAM (HBM), the on-chip state buffer, or the matmul accumulators. */
public enum MemorySpace {
    DRAM, SBUF, PSUM;

    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static MemorySpace parse(String text) {
        for (MemorySpace s : values()) {
            if (s.text().equals(text)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown memory space '" + text + "'; expected dram, sbuf or psum");
    }
}
