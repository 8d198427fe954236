package dev.tessera.operators.graph;

/** Element types of graph tensors (ONNX names in {@link #onnxName()}). */
public enum DType {
    FLOAT32(4, "float32"),
    FLOAT16(2, "float16"),
    BFLOAT16(2, "bfloat16"),
    INT64(8, "int64"),
    INT32(4, "int32"),
    INT8(1, "int8"),
    UINT8(1, "uint8"),
    BOOL(1, "bool");

    private final int bytes;
    private final String text;

    DType(int bytes, String text) {
        this.bytes = bytes;
        this.text = text;
    }

    public int bytes() {
        return bytes;
    }

    /** The lower-case name used in text forms and events, e.g. {@code float32}. */
    public String text() {
        return text;
    }

    public boolean isFloatingPoint() {
        return this == FLOAT32 || this == FLOAT16 || this == BFLOAT16;
    }

    /** Parses a {@link #text()} name, naming the accepted ones when it fails. */
    public static DType parse(String text) {
        for (DType d : values()) {
            if (d.text.equals(text)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown dtype '" + text
                + "'; expected one of float32, float16, bfloat16, int64, int32, int8, uint8, bool");
    }
}
