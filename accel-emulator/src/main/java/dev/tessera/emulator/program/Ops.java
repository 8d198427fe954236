package dev.tessera.emulator.program;

import java.util.Locale;

/** The operation families of the vector and scalar engines, each with its fp32 definition. */
public final class Ops {
    private Ops() {}

    /** Elementwise {@code a op b}. */
    public enum Binary {
        ADD("add"), SUB("sub"), MUL("mul"), DIV("div"), MAX("max"), MIN("min");

        private final String text;

        Binary(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        public float apply(float a, float b) {
            switch (this) {
                case ADD: return a + b;
                case SUB: return a - b;
                case MUL: return a * b;
                case DIV: return a / b;
                case MAX: return Math.max(a, b);
                default: return Math.min(a, b);
            }
        }
    }

    /** Elementwise {@code op x}. */
    public enum Unary {
        NEG, ABS, RECIPROCAL, SQRT, RSQRT, SQUARE;

        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }

        public float apply(float x) {
            switch (this) {
                case NEG: return -x;
                case ABS: return Math.abs(x);
                case RECIPROCAL: return 1f / x;
                case SQRT: return (float) Math.sqrt(x);
                case RSQRT: return (float) (1.0 / Math.sqrt(x));
                default: return x * x;
            }
        }
    }

    /** A reduction over the innermost dimensions of an access pattern (sums, maxima, pooling windows). */
    public enum Reduce {
        ADD, MAX, MIN, MEAN;

        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The value the reduction starts from. */
        public float identity() {
            switch (this) {
                case MAX: return Float.NEGATIVE_INFINITY;
                case MIN: return Float.POSITIVE_INFINITY;
                default: return 0f;
            }
        }

        public float combine(float acc, float x) {
            switch (this) {
                case MAX: return Math.max(acc, x);
                case MIN: return Math.min(acc, x);
                default: return acc + x;
            }
        }

        /** The result from the combined value of {@code n} elements. */
        public float finish(float acc, long n) {
            return this == MEAN ? acc / n : acc;
        }
    }

    /**
     * The scalar engine's functions, applied as {@code f(x · scale + bias)}. GELU is the tanh form
     * {@code 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))}; the others are their textbook definitions,
     * computed in double and rounded to fp32.
     */
    public enum Activation {
        IDENTITY, RELU, GELU, SIGMOID, TANH, EXP, SILU;

        private static final double GELU_C = Math.sqrt(2 / Math.PI);

        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }

        public float apply(float x) {
            switch (this) {
                case IDENTITY: return x;
                case RELU: return x > 0 ? x : 0f;
                case GELU: return (float) (0.5 * x * (1 + Math.tanh(GELU_C * (x + 0.044715 * x * x * x))));
                case SIGMOID: return (float) (1 / (1 + Math.exp(-x)));
                case TANH: return (float) Math.tanh(x);
                case EXP: return (float) Math.exp(x);
                default: return (float) (x / (1 + Math.exp(-x)));
            }
        }
    }

    static <E extends Enum<E>> E parse(Class<E> type, String text, String family) {
        for (E e : type.getEnumConstants()) {
            String name = e instanceof Binary b ? b.text() : e.name().toLowerCase(Locale.ROOT);
            if (name.equals(text)) {
                return e;
            }
        }
        StringBuilder known = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            known.append(known.length() == 0 ? "" : ", ")
                    .append(e instanceof Binary b ? b.text() : e.name().toLowerCase(Locale.ROOT));
        }
        throw new InvalidProgramException("unknown " + family + " operation '" + text + "'; expected one of " + known);
    }
}
