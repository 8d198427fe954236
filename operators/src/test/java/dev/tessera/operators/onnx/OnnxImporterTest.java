package dev.tessera.operators.onnx;

import static dev.tessera.operators.onnx.Models.floats;
import static dev.tessera.operators.onnx.Models.int64s;
import static dev.tessera.operators.onnx.Models.model;
import static dev.tessera.operators.onnx.Models.node;
import static dev.tessera.operators.onnx.Models.tensor;
import static dev.tessera.operators.onnx.Models.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.tessera.operators.InvalidModelException;
import dev.tessera.operators.graph.Attribute;
import dev.tessera.operators.graph.Node;
import dev.tessera.operators.graph.Tensor;
import dev.tessera.operators.graph.TensorRole;
import dev.tessera.operators.onnx.proto.OnnxProto.GraphProto;
import dev.tessera.operators.onnx.proto.OnnxProto.ModelProto;
import dev.tessera.operators.onnx.proto.OnnxProto.TensorProto;
import dev.tessera.operators.reference.FloatTensor;
import dev.tessera.operators.reference.ReferenceInterpreter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxImporterTest {
    private static final int FLOAT = OnnxTypes.FLOAT;

    @TempDir
    Path dir;

    /** x [batch, 3, 4] → Shape → Gather(0) → Unsqueeze → Concat with [-1] → Reshape: y [batch, 12]. */
    private ModelProto reshapeByComputedShape() {
        GraphProto.Builder g = GraphProto.newBuilder()
                .addInput(value("x", FLOAT, "batch", 3, 4))
                .addOutput(value("y", FLOAT))
                .addNode(node("Constant", new String[0], new String[] {"zero"},
                        tensor("value", int64s("zero", new long[0], 0))))
                .addNode(node("Constant", new String[0], new String[] {"axes"},
                        tensor("value", int64s("axes", new long[] {1}, 0))))
                .addNode(node("Constant", new String[0], new String[] {"minus1"},
                        tensor("value", int64s("minus1", new long[] {1}, -1))))
                .addNode(node("Shape", new String[] {"x"}, new String[] {"s"}))
                .addNode(node("Gather", new String[] {"s", "zero"}, new String[] {"n"}))
                .addNode(node("Unsqueeze", new String[] {"n", "axes"}, new String[] {"n1"}))
                .addNode(node("Concat", new String[] {"n1", "minus1"}, new String[] {"shape"}, Models.integer("axis", 0)))
                .addNode(node("Reshape", new String[] {"x", "shape"}, new String[] {"y"}));
        return model(13, g);
    }

    @Test
    void foldsShapeArithmeticIntoConcreteShapes() throws Exception {
        Path file = Models.write(dir, "reshape.onnx", reshapeByComputedShape());
        ImportedModel m = OnnxImporter.importGraph(file, ImportOptions.DEFAULTS.withDimension("batch", 4));
        assertThat(m.graph().nodes()).extracting(Node::opType).containsExactly("Reshape");
        assertThat(m.graph().nodes().get(0).attributes().get("shape")).isEqualTo(Attribute.ints(4, 12));
        assertThat(m.graph().tensors()).extracting(Tensor::shape).containsExactly(
                java.util.List.of(4L, 3L, 4L), java.util.List.of(4L, 12L));
        assertThat(m.weights().names()).isEmpty();
    }

    /**
     * A Cast to another type that is not folded, and an Identity that produces a graph output, stay
     * nodes; the graph IR accepts both, and the lowered program computes what the reference does.
     */
    @Test
    void castAndIdentityImportAndLower() throws Exception {
        GraphProto.Builder g = GraphProto.newBuilder()
                .addInput(value("x", FLOAT, 2, 3))
                .addOutput(value("ids", OnnxTypes.INT64))
                .addOutput(value("copy", FLOAT))
                .addNode(node("Relu", new String[] {"x"}, new String[] {"r"}))
                .addNode(node("Cast", new String[] {"r"}, new String[] {"ids"}, Models.integer("to", OnnxTypes.INT64)))
                .addNode(node("Identity", new String[] {"r"}, new String[] {"copy"}));
        ImportedModel m = OnnxImporter.importGraph(Models.write(dir, "cast.onnx", model(13, g)), ImportOptions.DEFAULTS);
        assertThat(m.graph().nodes()).extracting(Node::opType).containsExactly("Relu", "Cast", "Identity");
        assertThat(m.graph().tensors()).filteredOn(t -> t.name().equals("ids")).extracting(Tensor::dtype)
                .containsExactly(dev.tessera.operators.graph.DType.INT64);
        float[] x = {-2.5f, 3.75f, 0.5f, 7.25f, -1f, 2f};
        Map<String, FloatTensor> expected = ReferenceInterpreter.run(m.graph(), m.weights(),
                Map.of("x", FloatTensor.of(java.util.List.of(2L, 3L), x)));
        var program = dev.tessera.operators.lowering.Lowering.lower(m.graph(),
                dev.tessera.emulator.AcceleratorSpec.builtIn("inferentia2"),
                dev.tessera.operators.lowering.LoweringOptions.DEFAULTS);
        Map<String, float[]> actual = dev.tessera.operators.lowering.LoopInterpreter.run(program, Map.of("x", x));
        assertThat(actual.get("ids")).containsExactly(0f, 3f, 0f, 7f, 0f, 2f);
        assertThat(actual.get("ids")).containsExactly(expected.get("ids").toArray());
        assertThat(actual.get("copy")).containsExactly(expected.get("copy").toArray());
    }

    @Test
    void symbolicBatchDefaultsToOne() throws Exception {
        Path file = Models.write(dir, "reshape.onnx", reshapeByComputedShape());
        ImportedModel m = OnnxImporter.importGraph(file, ImportOptions.DEFAULTS);
        assertThat(m.graph().tensors().get(1).shape()).containsExactly(1L, 12L);
    }

    @Test
    void readsRawAndTypedWeightsFromInitializersAndConstantNodes() throws Exception {
        ByteBuffer raw = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(1).putFloat(2).putFloat(3);
        TensorProto rawTensor = TensorProto.newBuilder().setName("c").setDataType(FLOAT).addDims(3)
                .setRawData(ByteString.copyFrom(raw.array())).build();
        GraphProto.Builder g = GraphProto.newBuilder()
                .addInput(value("x", FLOAT, 3))
                .addOutput(value("z", FLOAT))
                .addInitializer(floats("w", new long[] {3}, 10, 20, 30))
                .addNode(node("Constant", new String[0], new String[] {"c"}, tensor("value", rawTensor)))
                .addNode(node("Add", new String[] {"x", "c"}, new String[] {"y"}))
                .addNode(node("Mul", new String[] {"y", "w"}, new String[] {"z"}));
        ImportedModel m = OnnxImporter.importGraph(Models.write(dir, "w.onnx", model(13, g)), ImportOptions.DEFAULTS);
        assertThat(m.weights().names()).containsExactly("c", "w");
        assertThat(m.graph().tensors()).filteredOn(t -> t.role() == TensorRole.WEIGHT).extracting(Tensor::name)
                .containsExactly("c", "w");
        Map<String, FloatTensor> out = ReferenceInterpreter.run(m.graph(), m.weights(),
                Map.of("x", FloatTensor.of(java.util.List.of(3L), new float[] {1, 1, 1})));
        assertThat(out.get("z").toArray()).containsExactly(20f, 60f, 120f);
    }

    // ---- must-fail ----

    @Test
    void rejectsATruncatedFile() throws Exception {
        byte[] whole = reshapeByComputedShape().toByteArray();
        Path file = dir.resolve("cut.onnx");
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2));
        assertThatThrownBy(() -> OnnxImporter.importGraph(file, ImportOptions.DEFAULTS))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("cut.onnx").hasMessageContaining("truncated");
    }

    @Test
    void rejectsACastTargetBeyondTheIntRange() throws Exception {
        long to = (1L << 32) + OnnxTypes.FLOAT;
        GraphProto.Builder g = GraphProto.newBuilder()
                .addInput(value("x", FLOAT, 2))
                .addOutput(value("y", FLOAT))
                .addNode(node("Cast", new String[] {"x"}, new String[] {"y"}, Models.integer("to", to)));
        Path file = Models.write(dir, "cast-wide.onnx", model(13, g));
        assertThatThrownBy(() -> OnnxImporter.importGraph(file, ImportOptions.DEFAULTS))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("'to' = 4294967297").hasMessageContaining("outside the int range");
    }

    @Test
    void rejectsAFileThatIsNotOnnx() throws Exception {
        Path file = dir.resolve("notes.onnx");
        Files.writeString(file, "these are not the weights you are looking for\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> OnnxImporter.importGraph(file, ImportOptions.DEFAULTS))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("notes.onnx").hasMessageContaining("not");
    }

    @Test
    void rejectsAMissingFile() {
        assertThatThrownBy(() -> OnnxImporter.importGraph(dir.resolve("absent.onnx"), ImportOptions.DEFAULTS))
                .isInstanceOf(InvalidModelException.class).hasMessageContaining("no such file");
    }

    @Test
    void rejectsADirectory() {
        assertThatThrownBy(() -> OnnxImporter.importGraph(dir, ImportOptions.DEFAULTS))
                .isInstanceOf(InvalidModelException.class).hasMessageContaining("is a directory, not an ONNX model file");
    }

    @Test
    void listsEveryUnsupportedOpWithItsCountInOneError() throws Exception {
        GraphProto.Builder g = GraphProto.newBuilder()
                .addInput(value("x", FLOAT, 2))
                .addOutput(value("y", FLOAT))
                .addNode(node("NonZero", new String[] {"x"}, new String[] {"a"}))
                .addNode(node("Relu", new String[] {"x"}, new String[] {"b"}))
                .addNode(node("Einsum", new String[] {"b"}, new String[] {"c"}))
                .addNode(node("NonZero", new String[] {"c"}, new String[] {"d"}))
                .addNode(node("TopK", new String[] {"d"}, new String[] {"y"}));
        Path file = Models.write(dir, "odd.onnx", model(13, g));
        assertThatThrownBy(() -> OnnxImporter.importGraph(file, ImportOptions.DEFAULTS))
                .isInstanceOf(InvalidModelException.class)
                .hasMessage("model 'test' uses 3 unsupported op types: Einsum ×1, NonZero ×2, TopK ×1");
    }

    @Test
    void rejectsInconsistentShapes() throws Exception {
        GraphProto.Builder g = GraphProto.newBuilder()
                .addInput(value("a", FLOAT, 2, 3))
                .addInput(value("b", FLOAT, 4, 5))
                .addOutput(value("y", FLOAT))
                .addNode(node("MatMul", new String[] {"a", "b"}, new String[] {"y"}));
        Path file = Models.write(dir, "mm.onnx", model(13, g));
        assertThatThrownBy(() -> OnnxImporter.importGraph(file, ImportOptions.DEFAULTS))
                .isInstanceOf(InvalidModelException.class)
                .hasMessage("MatMul node 'MatMul_y': inconsistent shapes: [2, 3] × [4, 5] disagree on the inner dimension");
    }

    @Test
    void rejectsADimensionOverTheLimit() throws Exception {
        Path file = Models.write(dir, "reshape.onnx", reshapeByComputedShape());
        assertThatThrownBy(() -> OnnxImporter.importGraph(file,
                ImportOptions.DEFAULTS.withDimension("batch", 100_000_000L)))
                .isInstanceOf(InvalidModelException.class)
                .hasMessage("input 'x' has shape [100000000, 3, 4]: dimension 100000000 is over the limit of 16777216");
    }

    @Test
    void rejectsATensorOverTheElementLimit() throws Exception {
        Path file = Models.write(dir, "reshape.onnx", reshapeByComputedShape());
        assertThatThrownBy(() -> OnnxImporter.importGraph(file, ImportOptions.DEFAULTS.withDimension("batch", 10)
                .withLimits(new dev.tessera.operators.graph.GraphLimits(100, 100, 8, 1L << 30))))
                .isInstanceOf(InvalidModelException.class)
                .hasMessage("input 'x' has shape [10, 3, 4] (120 elements), over the limit of 100 elements");
    }

    @Test
    void namesSymbolicDimensionsThatNeedAValue() throws Exception {
        GraphProto.Builder g = GraphProto.newBuilder()
                .addInput(value("x", FLOAT, "N", 3, "H", "W"))
                .addOutput(value("y", FLOAT))
                .addNode(node("Relu", new String[] {"x"}, new String[] {"y"}));
        Path file = Models.write(dir, "img.onnx", model(13, g));
        assertThatThrownBy(() -> OnnxImporter.importGraph(file, ImportOptions.DEFAULTS))
                .isInstanceOf(InvalidModelException.class)
                .hasMessage("input 'x' has symbolic dimensions without a value: 'H' (dimension 2), 'W' (dimension 3); "
                        + "give each with --dim name=value");
    }

    @Test
    void rejectsAnOpsetOutsideNineToEighteen() throws Exception {
        GraphProto.Builder g = GraphProto.newBuilder()
                .addInput(value("x", FLOAT, 2))
                .addOutput(value("y", FLOAT))
                .addNode(node("Relu", new String[] {"x"}, new String[] {"y"}));
        Path file = Models.write(dir, "new.onnx", model(21, g));
        assertThatThrownBy(() -> OnnxImporter.importGraph(file, ImportOptions.DEFAULTS))
                .isInstanceOf(InvalidModelException.class)
                .hasMessage("model 'test' uses ONNX opset 21; Tessera imports opsets 9 to 18");
    }

    @Test
    void rejectsAReshapeWhoseShapeIsComputedAtRunTime() throws Exception {
        GraphProto.Builder g = GraphProto.newBuilder()
                .addInput(value("x", FLOAT, 2, 6))
                .addInput(value("s", OnnxTypes.INT64, 2))
                .addOutput(value("y", FLOAT))
                .addNode(node("Reshape", new String[] {"x", "s"}, new String[] {"y"}));
        Path file = Models.write(dir, "dyn.onnx", model(13, g));
        assertThatThrownBy(() -> OnnxImporter.importGraph(file, ImportOptions.DEFAULTS))
                .isInstanceOf(InvalidModelException.class)
                .hasMessage("Reshape node 'Reshape_y': its shape (input 's') must be a constant that Tessera can fold; "
                        + "it is computed at run time");
    }

    @Test
    void rejectsWeightDataThatDoesNotMatchItsShape() throws Exception {
        GraphProto.Builder g = GraphProto.newBuilder()
                .addInput(value("x", FLOAT, 3))
                .addOutput(value("y", FLOAT))
                .addInitializer(floats("w", new long[] {4}, 1, 2, 3))
                .addNode(node("Add", new String[] {"x", "w"}, new String[] {"y"}));
        Path file = Models.write(dir, "bad.onnx", model(13, g));
        assertThatThrownBy(() -> OnnxImporter.importGraph(file, ImportOptions.DEFAULTS))
                .isInstanceOf(InvalidModelException.class)
                .hasMessage("tensor 'w' has shape [4] (4 elements) but holds 3 values");
    }
}
