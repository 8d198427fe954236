package dev.tessera.operators.onnx;

import dev.tessera.operators.InvalidModelException;
import dev.tessera.operators.graph.DType;
import dev.tessera.operators.onnx.ValueTable.Value;
import dev.tessera.operators.onnx.proto.OnnxProto.AttributeProto;
import dev.tessera.operators.onnx.proto.OnnxProto.NodeProto;
import dev.tessera.operators.onnx.proto.OnnxProto.TensorProto;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One ONNX node as the converter sees it: its attributes, its inputs' types, shapes and constants. */
final class NodeContext {
    private final NodeProto node;
    private final String name;
    private final long opset;
    private final ValueTable values;
    private final Path modelDirectory;

    NodeContext(NodeProto node, String name, long opset, ValueTable values, Path modelDirectory) {
        this.node = node;
        this.name = name;
        this.opset = opset;
        this.values = values;
        this.modelDirectory = modelDirectory;
    }

    String opType() {
        return node.getOpType();
    }

    String name() {
        return name;
    }

    long opset() {
        return opset;
    }

    Path modelDirectory() {
        return modelDirectory;
    }

    /** An error about this node, prefixed with its op type and name. */
    InvalidModelException error(String message) {
        return new InvalidModelException(opType() + " node '" + name + "': " + message);
    }

    // ---- inputs ----

    /** Whether optional input {@code i} is given (present and not the empty name). */
    boolean hasInput(int i) {
        return i < node.getInputCount() && !node.getInput(i).isEmpty();
    }

    String inputName(int i) {
        if (!hasInput(i)) {
            throw error("input " + i + " is missing");
        }
        return node.getInput(i);
    }

    Value input(int i) {
        return values.get(inputName(i));
    }

    List<Long> shape(int i) {
        return input(i).shape();
    }

    int rank(int i) {
        return shape(i).size();
    }

    DType dtype(int i) {
        return input(i).dtype();
    }

    /** The values of input {@code i}, which must be a constant (an attribute in the graph IR). */
    ConstTensor constInput(int i, String what) {
        ConstTensor c = values.constantOf(inputName(i));
        if (c == null) {
            throw error("its " + what + " (input '" + inputName(i) + "') must be a constant that Tessera can fold; "
                    + "it is computed at run time");
        }
        return c;
    }

    /** The values of input {@code i} when it is a constant small enough to fold, else null. */
    ConstTensor constantOrNull(int i) {
        return values.constantOf(inputName(i));
    }

    /** All present input names. */
    List<String> inputNames() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < node.getInputCount(); i++) {
            if (hasInput(i)) {
                out.add(node.getInput(i));
            }
        }
        return out;
    }

    int inputCount() {
        return node.getInputCount();
    }

    // ---- outputs ----

    int outputCount() {
        return node.getOutputCount();
    }

    /** Whether output {@code i} exists and is named (optional outputs may be absent or ""). */
    boolean hasOutput(int i) {
        return i < node.getOutputCount() && !node.getOutput(i).isEmpty();
    }

    String outputName(int i) {
        return node.getOutput(i);
    }

    /** Records output {@code i} as a run-time value of the given type and shape. */
    void define(int i, DType dtype, List<Long> shape) {
        define(outputName(i), dtype, shape);
    }

    /** Records a run-time value (an output, or an intermediate the converter introduces). */
    void define(String tensor, DType dtype, List<Long> shape) {
        values.put(new Value(tensor, dtype, shape, null, null));
    }

    /** Records output {@code i} as a constant the importer computed. */
    void defineConstant(int i, ConstTensor value) {
        values.put(new Value(outputName(i), value.dtype(), value.shape(), null, value));
    }

    /** Records output {@code i} as a constant read from the model file. */
    void defineWeight(int i, TensorData data) {
        values.put(new Value(outputName(i), data.dtype(), data.shape(), data, null));
    }

    // ---- attributes ----

    boolean hasAttribute(String attr) {
        return attribute(attr) != null;
    }

    private AttributeProto attribute(String attr) {
        for (AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(attr)) {
                if (!a.getRefAttrName().isEmpty()) {
                    throw error("attribute '" + attr + "' refers to a function attribute, which is not supported");
                }
                return a;
            }
        }
        return null;
    }

    long attrInt(String attr, long dflt) {
        AttributeProto a = attribute(attr);
        return a == null ? dflt : a.getI();
    }

    double attrFloat(String attr, double dflt) {
        AttributeProto a = attribute(attr);
        return a == null ? dflt : a.getF();
    }

    String attrString(String attr, String dflt) {
        AttributeProto a = attribute(attr);
        return a == null ? dflt : a.getS().toStringUtf8();
    }

    /** The ints of attribute {@code attr}, or null when it is absent. */
    List<Long> attrInts(String attr) {
        AttributeProto a = attribute(attr);
        return a == null ? null : List.copyOf(a.getIntsList());
    }

    List<Float> attrFloats(String attr) {
        AttributeProto a = attribute(attr);
        return a == null ? null : List.copyOf(a.getFloatsList());
    }

    TensorProto attrTensor(String attr) {
        AttributeProto a = attribute(attr);
        return a == null || !a.hasT() ? null : a.getT();
    }

    List<AttributeProto> attributes() {
        return node.getAttributeList();
    }
}
