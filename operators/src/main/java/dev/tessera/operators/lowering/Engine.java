package dev.tessera.operators.lowering;

import java.util.Locale;

/** The NeuronCore unit that runs a statement's instructions. */
public enum Engine {
    DMA, TENSOR, VECTOR, SCALAR;

    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Engine parse(String text) {
        for (Engine e : values()) {
            if (e.text().equals(text)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown engine '" + text + "'; expected dma, tensor, vector or scalar");
    }
}
