package dev.tessera.operators.onnx;

import dev.tessera.operators.onnx.proto.OnnxProto.AttributeProto;
import dev.tessera.operators.onnx.proto.OnnxProto.GraphProto;
import dev.tessera.operators.onnx.proto.OnnxProto.ModelProto;
import dev.tessera.operators.onnx.proto.OnnxProto.NodeProto;
import dev.tessera.operators.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.tessera.operators.onnx.proto.OnnxProto.TensorProto;
import dev.tessera.operators.onnx.proto.OnnxProto.TensorShapeProto;
import dev.tessera.operators.onnx.proto.OnnxProto.TypeProto;
import dev.tessera.operators.onnx.proto.OnnxProto.ValueInfoProto;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Small ONNX models built in code for importer tests. */
final class Models {
    private Models() {}

    static ModelProto model(long opset, GraphProto.Builder graph) {
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(graph.setName("test")).build();
    }

    /** A float32 (elemType 1) or other tensor value; a dim is a size, or a String for a symbolic one. */
    static ValueInfoProto value(String name, int elemType, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            TensorShapeProto.Dimension.Builder b = TensorShapeProto.Dimension.newBuilder();
            if (d instanceof String s) {
                b.setDimParam(s);
            } else {
                b.setDimValue(((Number) d).longValue());
            }
            shape.addDim(b);
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape))).build();
    }

    static NodeProto node(String op, String[] inputs, String[] outputs, AttributeProto... attributes) {
        return NodeProto.newBuilder().setOpType(op).setName(op + "_" + outputs[0])
                .addAllInput(Arrays.asList(inputs)).addAllOutput(Arrays.asList(outputs))
                .addAllAttribute(Arrays.asList(attributes)).build();
    }

    static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            b.addInts(v);
        }
        return b.build();
    }

    static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    static AttributeProto tensor(String name, TensorProto t) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.TENSOR).setT(t).build();
    }

    static TensorProto int64s(String name, long[] dims, long... values) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(OnnxTypes.INT64);
        for (long d : dims) {
            b.addDims(d);
        }
        for (long v : values) {
            b.addInt64Data(v);
        }
        return b.build();
    }

    static TensorProto floats(String name, long[] dims, float... values) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(OnnxTypes.FLOAT);
        for (long d : dims) {
            b.addDims(d);
        }
        for (float v : values) {
            b.addFloatData(v);
        }
        return b.build();
    }

    static Path write(Path dir, String file, ModelProto model) throws IOException {
        Path p = dir.resolve(file);
        try (OutputStream out = Files.newOutputStream(p)) {
            model.writeTo(out);
        }
        return p;
    }
}
