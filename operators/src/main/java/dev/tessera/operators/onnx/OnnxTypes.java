package dev.tessera.operators.onnx;

import dev.tessera.operators.InvalidModelException;
import dev.tessera.operators.graph.DType;

/** The ONNX {@code TensorProto.DataType} codes and their graph IR element types. */
final class OnnxTypes {
    static final int FLOAT = 1;
    static final int UINT8 = 2;
    static final int INT8 = 3;
    static final int UINT16 = 4;
    static final int INT16 = 5;
    static final int INT32 = 6;
    static final int INT64 = 7;
    static final int STRING = 8;
    static final int BOOL = 9;
    static final int FLOAT16 = 10;
    static final int DOUBLE = 11;
    static final int UINT32 = 12;
    static final int UINT64 = 13;
    static final int BFLOAT16 = 16;

    private OnnxTypes() {}

    /**
     * The graph IR type of an ONNX element type, or an error naming the tensor when there is none.
     * int16 and uint16 widen to int32 and uint32 to int64, which holds every value exactly.
     */
    static DType toDType(int code, String where) {
        return switch (code) {
            case FLOAT -> DType.FLOAT32;
            case FLOAT16 -> DType.FLOAT16;
            case BFLOAT16 -> DType.BFLOAT16;
            case INT64 -> DType.INT64;
            case INT32, INT16, UINT16 -> DType.INT32;
            case UINT32 -> DType.INT64;
            case INT8 -> DType.INT8;
            case UINT8 -> DType.UINT8;
            case BOOL -> DType.BOOL;
            default -> throw new InvalidModelException(where + " has element type " + name(code)
                    + ", which Tessera does not support (supported: float32, float16, bfloat16, int64, "
                    + "int32, int16, uint16, uint32, int8, uint8, bool)");
        };
    }

    static String name(int code) {
        return switch (code) {
            case 0 -> "undefined";
            case FLOAT -> "float32";
            case UINT8 -> "uint8";
            case INT8 -> "int8";
            case UINT16 -> "uint16";
            case INT16 -> "int16";
            case INT32 -> "int32";
            case INT64 -> "int64";
            case STRING -> "string";
            case BOOL -> "bool";
            case FLOAT16 -> "float16";
            case DOUBLE -> "double";
            case UINT32 -> "uint32";
            case UINT64 -> "uint64";
            case BFLOAT16 -> "bfloat16";
            default -> "code " + code;
        };
    }

    /** IEEE 754 half precision bits to float (Java 17 has no {@code Float.float16ToFloat}). */
    static float halfToFloat(int bits) {
        int sign = (bits >>> 15) & 1;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        float magnitude;
        if (exponent == 0) {
            magnitude = mantissa * 0x1p-24f;
        } else if (exponent == 31) {
            magnitude = mantissa == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
        } else {
            magnitude = Float.intBitsToFloat(((exponent + 112) << 23) | (mantissa << 13));
        }
        return sign == 0 ? magnitude : -magnitude;
    }

    static float bfloat16ToFloat(int bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }
}
