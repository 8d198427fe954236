package dev.tessera.operators.lowering;

import java.util.Locale;

/** What a statement does: moves data by DMA, multiplies on the tensor engine, computes on the vector or scalar engine, or copies without computing (a layout operator). */
public enum StatementKind {
    DMA, MATMUL, VECTOR, SCALAR, COPY;

    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static StatementKind parse(String text) {
        for (StatementKind k : values()) {
            if (k.text().equals(text)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown statement kind '" + text + "'; expected dma, matmul, vector, scalar or copy");
    }
}
