package dev.tessera.emulator.program;

/**
 * An instruction stream of the core: the tensor engine (matmul), the vector engine (elementwise,
 * reductions, pooling, copies, memset), the scalar engine (activations, PSUM evictions, copies,
 * memset) or one DMA queue. Engines run concurrently; each runs its own stream in order. Text form:
 * {@code tensor}, {@code vector}, {@code scalar}, {@code dma0}, {@code dma1}, …
 */
public record Engine(Kind kind, int queue) implements Comparable<Engine> {
    /** What an engine is. */
    public enum Kind { TENSOR, VECTOR, SCALAR, DMA }

    public static final Engine TENSOR = new Engine(Kind.TENSOR, 0);
    public static final Engine VECTOR = new Engine(Kind.VECTOR, 0);
    public static final Engine SCALAR = new Engine(Kind.SCALAR, 0);
    private static final java.util.regex.Pattern DMA_QUEUE = java.util.regex.Pattern.compile("dma(0|[1-9][0-9]{0,4})");

    public Engine {
        if (queue < 0 || (kind != Kind.DMA && queue != 0)) {
            throw new InvalidProgramException("bad engine " + kind + " queue " + queue);
        }
    }

    /** DMA queue {@code q}, counted from 0. */
    public static Engine dma(int q) {
        return new Engine(Kind.DMA, q);
    }

    /** Parses {@code tensor}, {@code vector}, {@code scalar} or {@code dma<N>}. */
    public static Engine parse(String text) {
        switch (text) {
            case "tensor": return TENSOR;
            case "vector": return VECTOR;
            case "scalar": return SCALAR;
            default:
                if (DMA_QUEUE.matcher(text).matches()) {
                    return dma(Integer.parseInt(text.substring(3)));
                }
                throw new InvalidProgramException("unknown engine '" + text + "'; expected tensor, vector, scalar or dma<N>");
        }
    }

    public String text() {
        return kind == Kind.DMA ? "dma" + queue : kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Tensor, vector, scalar, then the DMA queues in order: the order reports list engines in. */
    @Override
    public int compareTo(Engine o) {
        return kind != o.kind ? kind.compareTo(o.kind) : Integer.compare(queue, o.queue);
    }

    @Override
    public String toString() {
        return text();
    }
}
