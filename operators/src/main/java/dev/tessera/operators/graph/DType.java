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

    /**
     * The dtype of ONNX's TensorProto element-type code {@code code} (Cast's {@code to}), with
     * int16/uint16 widened to int32 and uint32 to int64 as the importer stores them; null for a code
     * with no dtype here (float64, strings, uint64, …), including every code outside the int range
     * (TensorProto.DataType is an int32 enum): {@code 2^32 + 1} is no dtype, not float32.
     */
    public static DType fromOnnxCode(long code) {
        if (code != (int) code) {
            return null;
        }
        return switch ((int) code) {
            case 1 -> FLOAT32;
            case 10 -> FLOAT16;
            case 16 -> BFLOAT16;
            case 7, 12 -> INT64;
            case 6, 5, 4 -> INT32;
            case 3 -> INT8;
            case 2 -> UINT8;
            case 9 -> BOOL;
            default -> null;
        };
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
