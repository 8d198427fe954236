package dev.tessera.operators.lowering;

import java.util.Locale;

/**
 * What one statement instance computes from the values it reads ({@code r[0]}, {@code r[1]}, … in
 * the order of the statement's reads) into the element it writes. Arithmetic is in double and
 * rounded to the written buffer's type by whoever stores the result. Accumulating codes read their
 * accumulator last: {@code mac} is {@code r2 + r0·r1}, {@code scale_acc(w)} {@code r1 + w·r0}.
 *
 * <p>{@code argmax_acc(c0, c1, …, cd)} is the one code whose value depends on the instance: its
 * parameters are an affine function {@code pos = c0 + Σ c_j · x_j} of the statement's {@code d}
 * iterators (one coefficient each, in domain order), and it keeps the first position whose value
 * equals the maximum: {@code r2 ≥ 0 ? r2 : (r0 = r1 ? pos : -1)}, with {@code r0} the candidate,
 * {@code r1} the maximum and {@code r2} the index found so far (-1 before). MaxPool's Indices output
 * is this scan over the window in order.
 */
public enum OpCode {
    COPY(0, 1, 1), FILL(1, 0, 0), GATHER(0, 2, 2),
    MAC(0, 3, 3), SUM_ACC(0, 2, 2), MAX_ACC(0, 2, 2), COUNT_ACC(0, 1, 1), SQDIFF_ACC(0, 3, 3),
    RELU(0, 1, 1), SIGMOID(0, 1, 1), TANH(0, 1, 1), ERF(0, 1, 1), SQRT(0, 1, 1), HARD_SWISH(0, 1, 1),
    GELU(0, 1, 1), GELU_TANH(0, 1, 1), LEAKY_RELU(1, 1, 1), HARD_SIGMOID(2, 1, 1), CLIP(2, 1, 1),
    SCALE(1, 1, 1), EXP_SUB(0, 2, 2),
    ADD(0, 2, 2), SUB(0, 2, 2), MUL(0, 2, 2), DIV(0, 2, 2), POW(0, 2, 2), MAX(0, 1, 16), MIN(0, 1, 16),
    GEMM_EPILOGUE(2, 1, 2), BATCH_NORM(1, 5, 5), LAYER_NORM(1, 4, 5),
    SCALE_ACC(1, 2, 2), ARGMAX_ACC(-1, 3, 3);

    /** {@link #params()} of a code that takes one or more parameters ({@code argmax_acc}). */
    public static final int VARIADIC = -1;

    private final int params;
    private final int minReads;
    private final int maxReads;

    OpCode(int params, int minReads, int maxReads) {
        this.params = params;
        this.minReads = minReads;
        this.maxReads = maxReads;
    }

    /** The number of parameters, or {@link #VARIADIC}. */
    public int params() {
        return params;
    }

    public int minReads() {
        return minReads;
    }

    public int maxReads() {
        return maxReads;
    }

    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static OpCode parse(String text) {
        for (OpCode c : values()) {
            if (c.text().equals(text)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown op '" + text + "'");
    }

    /**
     * The value of one instance at domain point {@code point}. {@code p} are the operation's
     * parameters, {@code r} the values read. (GATHER's value is its table read, {@code r[1]}.)
     */
    public double apply(double[] p, double[] r, long[] point) {
        return switch (this) {
            case COPY -> r[0];
            case FILL -> p[0];
            case GATHER -> r[1];
            case MAC -> r[2] + r[0] * r[1];
            case SUM_ACC -> r[1] + r[0];
            case MAX_ACC -> Math.max(r[1], r[0]);
            case COUNT_ACC -> r[0] + 1;
            case SQDIFF_ACC -> r[2] + (r[0] - r[1]) * (r[0] - r[1]);
            case RELU -> Math.max(r[0], 0);
            case SIGMOID -> 1 / (1 + Math.exp(-r[0]));
            case TANH -> Math.tanh(r[0]);
            case ERF -> erf(r[0]);
            case SQRT -> Math.sqrt(r[0]);
            case HARD_SWISH -> r[0] * Math.max(0, Math.min(1, r[0] / 6 + 0.5));
            case GELU -> 0.5 * r[0] * (1 + erf(r[0] / Math.sqrt(2)));
            case GELU_TANH -> 0.5 * r[0] * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (r[0] + 0.044715 * r[0] * r[0] * r[0])));
            case LEAKY_RELU -> r[0] >= 0 ? r[0] : p[0] * r[0];
            case HARD_SIGMOID -> Math.max(0, Math.min(1, p[0] * r[0] + p[1]));
            case CLIP -> Math.min(Math.max(r[0], p[0]), p[1]);
            case SCALE -> p[0] * r[0];
            case EXP_SUB -> Math.exp(r[0] - r[1]);
            case ADD -> r[0] + r[1];
            case SUB -> r[0] - r[1];
            case MUL -> r[0] * r[1];
            case DIV -> r[0] / r[1];
            case POW -> Math.pow(r[0], r[1]);
            case MAX -> fold(r, true);
            case MIN -> fold(r, false);
            case GEMM_EPILOGUE -> p[0] * r[0] + (r.length > 1 ? p[1] * r[1] : 0);
            case BATCH_NORM -> (r[0] - r[3]) / Math.sqrt(r[4] + p[0]) * r[1] + r[2];
            case LAYER_NORM -> (r[0] - r[1]) / Math.sqrt(r[2] + p[0]) * r[3] + (r.length > 4 ? r[4] : 0);
            case SCALE_ACC -> r[1] + p[0] * r[0];
            case ARGMAX_ACC -> r[2] >= 0 ? r[2] : r[0] == r[1] ? position(p, point) : -1;
        };
    }

    private static double position(double[] p, long[] point) {
        if (p.length != point.length + 1) {
            throw new IllegalArgumentException("argmax_acc has " + p.length + " parameters for a point of "
                    + point.length + " iterators");
        }
        double v = p[0];
        for (int j = 0; j < point.length; j++) {
            v += p[j + 1] * point[j];
        }
        return v;
    }

    private static double fold(double[] r, boolean max) {
        double v = r[0];
        for (int i = 1; i < r.length; i++) {
            v = max ? Math.max(v, r[i]) : Math.min(v, r[i]);
        }
        return v;
    }

    /**
     * erf by its series {@code 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1))}, whose terms are all
     * positive, so it is accurate to double precision; beyond |x| = 6 erf is ±1 in double.
     */
    static double erf(double x) {
        double a = Math.abs(x);
        if (a >= 6) {
            return Math.signum(x);
        }
        double term = a;
        double sum = a;
        for (int n = 1; term > 1e-17 * sum; n++) {
            term *= 2 * a * a / (2 * n + 1);
            sum += term;
        }
        return Math.signum(x) * 2 / Math.sqrt(Math.PI) * Math.exp(-a * a) * sum;
    }
}
