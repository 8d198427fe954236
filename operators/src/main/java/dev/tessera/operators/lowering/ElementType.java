package dev.tessera.operators.lowering;

import dev.tessera.emulator.StorageDtype;
import java.util.Locale;

/**
 * The element type of a buffer: a floating-point storage type (the compile's {@link StorageDtype};
 * PSUM is always fp32) or an integer type that keeps its real width — int64/int32 (indices),
 * int8/uint8 (quantised data) and bool (masks, one byte per element as ONNX stores it) — so DMA
 * byte counts are exact for every tensor.
 */
public enum ElementType {
    FP32(4), BF16(2), FP16(2), I32(4), I64(8), I8(1), U8(1), BOOL(1);

    private final int bytes;

    ElementType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    public boolean isFloat() {
        return this == FP32 || this == BF16 || this == FP16;
    }

    /** The storage type of a floating-point buffer. */
    public StorageDtype storage() {
        return switch (this) {
            case FP32 -> StorageDtype.FP32;
            case BF16 -> StorageDtype.BF16;
            case FP16 -> StorageDtype.FP16;
            default -> throw new IllegalStateException(text() + " is not a floating-point storage type");
        };
    }

    public static ElementType of(StorageDtype d) {
        return switch (d) {
            case FP32 -> FP32;
            case BF16 -> BF16;
            case FP16 -> FP16;
        };
    }

    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ElementType parse(String text) {
        for (ElementType t : values()) {
            if (t.text().equals(text)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown element type '" + text + "'; expected fp32, bf16, fp16, i32, i64, i8, u8 or bool");
    }
}
