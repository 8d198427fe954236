package dev.tessera.operators.onnx;

import com.google.protobuf.ByteString;
import dev.tessera.operators.InvalidModelException;
import dev.tessera.operators.graph.DType;
import dev.tessera.operators.onnx.proto.OnnxProto.StringStringEntryProto;
import dev.tessera.operators.onnx.proto.OnnxProto.TensorProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The contents of one ONNX {@code TensorProto}, decoded only when asked. Raw data is a
 * {@link ByteString} that aliases the memory-mapped model file (see {@link OnnxReader}), so holding a
 * {@code TensorData} costs no heap for the values; typed data ({@code float_data}, {@code int64_data} …)
 * is whatever the parser already holds; external data is read from its file on each call.
 */
final class TensorData {
    private final String name;
    private final int dataType;
    private final DType dtype;
    private final List<Long> shape;
    private final long elements;
    private final TensorProto proto;
    private final Path modelDirectory;

    private TensorData(String name, TensorProto proto, Path modelDirectory) {
        this.name = name;
        this.proto = proto;
        this.modelDirectory = modelDirectory;
        this.dataType = proto.getDataType();
        this.dtype = OnnxTypes.toDType(dataType, "tensor '" + name + "'");
        this.shape = List.copyOf(proto.getDimsList());
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new InvalidModelException("tensor '" + name + "' has a negative dimension: " + shape);
            }
            n = Math.multiplyExact(n, d);
        }
        this.elements = n;
        checkSize();
    }

    /** Wraps a tensor of the model; {@code name} overrides the proto's own (Constant nodes name it by output). */
    static TensorData of(String name, TensorProto proto, Path modelDirectory) {
        return new TensorData(name, proto, modelDirectory);
    }

    String name() {
        return name;
    }

    DType dtype() {
        return dtype;
    }

    List<Long> shape() {
        return shape;
    }

    long elementCount() {
        return elements;
    }

    /** The data held must match the shape; external data is checked when it is read. */
    private void checkSize() {
        if (proto.getDataLocation() == 1) {
            return;
        }
        long held;
        if (!proto.getRawData().isEmpty()) {
            held = proto.getRawData().size();
            long expected = Math.multiplyExact(elements, rawBytes());
            if (held != expected) {
                throw new InvalidModelException("tensor '" + name + "' has shape " + shape + " (" + elements
                        + " elements of " + OnnxTypes.name(dataType) + ", " + expected + " bytes) but holds "
                        + held + " bytes of raw data");
            }
            return;
        }
        held = typedCount();
        if (held != elements) {
            throw new InvalidModelException("tensor '" + name + "' has shape " + shape + " (" + elements
                    + " elements) but holds " + held + " values");
        }
    }

    private int rawBytes() {
        return switch (dataType) {
            case OnnxTypes.INT64, OnnxTypes.DOUBLE, OnnxTypes.UINT64 -> 8;
            case OnnxTypes.FLOAT, OnnxTypes.INT32, OnnxTypes.UINT32 -> 4;
            case OnnxTypes.FLOAT16, OnnxTypes.BFLOAT16, OnnxTypes.INT16, OnnxTypes.UINT16 -> 2;
            default -> 1;
        };
    }

    private long typedCount() {
        return switch (dataType) {
            case OnnxTypes.FLOAT -> proto.getFloatDataCount();
            case OnnxTypes.INT64 -> proto.getInt64DataCount();
            case OnnxTypes.UINT32 -> proto.getUint64DataCount();
            default -> proto.getInt32DataCount();
        };
    }

    /** The values as floats (integers converted, exact up to 2^24). */
    float[] floats() {
        int n = Math.toIntExact(elements);
        float[] out = new float[n];
        ByteBuffer raw = rawBuffer();
        if (raw != null) {
            for (int i = 0; i < n; i++) {
                out[i] = switch (dataType) {
                    case OnnxTypes.FLOAT -> raw.getFloat(i * 4);
                    case OnnxTypes.FLOAT16 -> OnnxTypes.halfToFloat(raw.getShort(i * 2));
                    case OnnxTypes.BFLOAT16 -> OnnxTypes.bfloat16ToFloat(raw.getShort(i * 2));
                    default -> rawInteger(raw, i);
                };
            }
            return out;
        }
        for (int i = 0; i < n; i++) {
            out[i] = switch (dataType) {
                case OnnxTypes.FLOAT -> proto.getFloatData(i);
                case OnnxTypes.FLOAT16 -> OnnxTypes.halfToFloat(proto.getInt32Data(i));
                case OnnxTypes.BFLOAT16 -> OnnxTypes.bfloat16ToFloat(proto.getInt32Data(i));
                default -> typedInteger(i);
            };
        }
        return out;
    }

    /** Integer element i of raw little-endian data, widened to long without loss. */
    private long rawInteger(ByteBuffer raw, int i) {
        return switch (dataType) {
            case OnnxTypes.INT64 -> raw.getLong(i * 8);
            case OnnxTypes.INT32 -> raw.getInt(i * 4);
            case OnnxTypes.UINT32 -> raw.getInt(i * 4) & 0xffffffffL;
            case OnnxTypes.INT16 -> raw.getShort(i * 2);
            case OnnxTypes.UINT16 -> raw.getShort(i * 2) & 0xffff;
            case OnnxTypes.INT8 -> raw.get(i);
            default -> raw.get(i) & 0xff;
        };
    }

    /** Integer element i of typed data (int64_data, uint64_data or int32_data by element type). */
    private long typedInteger(int i) {
        return switch (dataType) {
            case OnnxTypes.INT64 -> proto.getInt64Data(i);
            case OnnxTypes.UINT32 -> proto.getUint64Data(i);
            default -> proto.getInt32Data(i);
        };
    }

    /** The values as longs; only for integer and bool tensors. */
    long[] longs() {
        if (dtype.isFloatingPoint()) {
            throw new IllegalStateException("tensor '" + name + "' is " + dtype.text() + ", not an integer tensor");
        }
        int n = Math.toIntExact(elements);
        long[] out = new long[n];
        ByteBuffer raw = rawBuffer();
        for (int i = 0; i < n; i++) {
            out[i] = raw != null ? rawInteger(raw, i) : typedInteger(i);
        }
        return out;
    }

    /** Little-endian view of the raw bytes (raw_data or external file), or null for typed data. */
    private ByteBuffer rawBuffer() {
        if (proto.getDataLocation() == 1) {
            return readExternal().order(ByteOrder.LITTLE_ENDIAN);
        }
        if (proto.getRawData().isEmpty()) {
            return null;
        }
        return proto.getRawData().asReadOnlyByteBuffer().slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    private ByteBuffer readExternal() {
        String location = null;
        long offset = 0;
        long length = -1;
        for (StringStringEntryProto e : proto.getExternalDataList()) {
            switch (e.getKey()) {
                case "location" -> location = e.getValue();
                case "offset" -> offset = parseLong(e.getValue());
                case "length" -> length = parseLong(e.getValue());
                default -> { }
            }
        }
        if (location == null) {
            throw new InvalidModelException("tensor '" + name + "' is stored externally but names no location");
        }
        Path file = modelDirectory.resolve(location).normalize();
        if (!file.startsWith(modelDirectory.normalize())) {
            throw new InvalidModelException("tensor '" + name + "' points outside the model's directory: " + location);
        }
        long expected = Math.multiplyExact(elements, rawBytes());
        if (length >= 0 && length != expected) {
            throw new InvalidModelException("tensor '" + name + "' has " + expected + " bytes of data but its "
                    + "external entry says " + length);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (offset + expected > ch.size()) {
                throw new InvalidModelException("tensor '" + name + "' needs bytes " + offset + ".." + (offset + expected)
                        + " of " + file + ", which has only " + ch.size());
            }
            ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(expected));
            while (buf.hasRemaining()) {
                if (ch.read(buf, offset + buf.position()) < 0) {
                    break;
                }
            }
            return buf.flip();
        } catch (IOException e) {
            throw new InvalidModelException("cannot read the external data of tensor '" + name + "' from " + file
                    + ": " + e.getMessage(), e);
        }
    }

    private long parseLong(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new InvalidModelException("tensor '" + name + "' has a malformed external data entry: " + text);
        }
    }

    /** Decodes the values into a folding constant (used for small tensors only). */
    ConstTensor toConst() {
        if (dtype.isFloatingPoint()) {
            float[] f = floats();
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
            return ConstTensor.ofReals(dtype, shape, d);
        }
        return ConstTensor.ofInts(dtype, shape, longs());
    }
}
