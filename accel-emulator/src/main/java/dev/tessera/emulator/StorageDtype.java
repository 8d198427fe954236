package dev.tessera.emulator;

import java.util.Locale;

/**
 * The element types tensors are stored in. Arithmetic is always fp32 (PSUM accumulates in fp32);
 * a value stored in a narrower type is rounded to the nearest representable value, ties to even,
 * as the hardware's store path does.
 */
public enum StorageDtype {
    FP32(4, 23, -126, Float.MAX_VALUE),
    BF16(2, 7, -126, 0x1.FEp127f),
    FP16(2, 10, -14, 65504f);

    private final int bytes;
    private final int mantissaBits;
    private final int minNormalExponent;
    private final float maxFinite;

    StorageDtype(int bytes, int mantissaBits, int minNormalExponent, float maxFinite) {
        this.bytes = bytes;
        this.mantissaBits = mantissaBits;
        this.minNormalExponent = minNormalExponent;
        this.maxFinite = maxFinite;
    }

    /** Bytes one element occupies in DRAM, SBUF or PSUM. */
    public int bytes() {
        return bytes;
    }

    /** The lower-case name used in profiles, program text and reports: {@code fp32}, {@code bf16}, {@code fp16}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code fp32|bf16|fp16} (any case), naming the accepted values when it fails. */
    public static StorageDtype parse(String text) {
        for (StorageDtype d : values()) {
            if (d.text().equalsIgnoreCase(text)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown storage dtype '" + text + "'; expected fp32, bf16 or fp16");
    }

    /**
     * The value a store of {@code x} leaves in memory: round to nearest, ties to even; values past
     * the largest finite number become infinities; NaN stays NaN. Example: {@code BF16.round(1.00390625f)
     * == 1.0f} (halfway, rounds to the even mantissa), {@code FP16.round(70000f) == +Infinity}.
     */
    public float round(float x) {
        if (this == FP32 || Float.isNaN(x) || Float.isInfinite(x) || x == 0f) {
            return x;
        }
        int exponent = Math.max(Math.getExponent(x), minNormalExponent);
        double ulp = Math.scalb(1.0, exponent - mantissaBits);
        double rounded = Math.rint(x / ulp) * ulp; // exact in double: x has at most 24 significant bits
        if (Math.abs(rounded) > maxFinite) {
            return rounded > 0 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
        }
        return (float) rounded;
    }
}
