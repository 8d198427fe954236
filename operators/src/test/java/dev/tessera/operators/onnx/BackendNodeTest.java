package dev.tessera.operators.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tessera.operators.graph.Tensor;
import dev.tessera.operators.graph.TensorRole;
import dev.tessera.operators.onnx.proto.OnnxProto.GraphProto;
import dev.tessera.operators.onnx.proto.OnnxProto.ModelProto;
import dev.tessera.operators.onnx.proto.OnnxProto.NodeProto;
import dev.tessera.operators.onnx.proto.OnnxProto.TensorProto;
import dev.tessera.operators.onnx.proto.OnnxProto.TensorShapeProto;
import dev.tessera.operators.onnx.proto.OnnxProto.ValueInfoProto;
import dev.tessera.operators.reference.FloatTensor;
import dev.tessera.operators.reference.ReferenceInterpreter;
import dev.tessera.operators.reference.Tolerance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The ONNX backend node tests of Debian's {@code libonnx-testdata} (ONNX 1.12): every test whose
 * model uses only supported ops is imported and run on the reference interpreter, and each output
 * must match the expected {@code output_N.pb} within {@link Tolerance#DEFAULT}. The few that cannot
 * run are listed in {@link #SKIPPED} with the reason; they show as skipped tests, and
 * {@link #skipsStayUnderTenPercent()} keeps their share at most 10%.
 */
class BackendNodeTest {
    /** Where Debian installs the node tests; {@code -Donnx.backend.dir=…} points elsewhere. */
    static final Path NODE_DIR = Path.of(System.getProperty("onnx.backend.dir",
            "/usr/share/libonnx-testdata/data/node"));

    /** Tests of supported ops that do not run, with the reason. */
    static final Map<String, String> SKIPPED = skipped();

    private static Map<String, String> skipped() {
        Map<String, String> m = new LinkedHashMap<>();
        String float64 = "float64 tensors: the graph IR has no float64 element type";
        String string = "string tensors: the graph IR has no string element type";
        String uint64 = "uint64 tensors: the graph IR has no uint64 element type";
        String oldOpset = "the model declares an opset below 9, the oldest Tessera imports";
        for (String prefix : List.of("test_cast_", "test_castlike_")) {
            String suffix = prefix.equals("test_castlike_") ? "_expanded" : "";
            m.put(prefix + "DOUBLE_to_FLOAT" + suffix, float64);
            m.put(prefix + "DOUBLE_to_FLOAT16" + suffix, float64);
            m.put(prefix + "FLOAT16_to_DOUBLE" + suffix, float64);
            m.put(prefix + "FLOAT_to_DOUBLE" + suffix, float64);
            m.put(prefix + "FLOAT_to_STRING" + suffix, string);
            m.put(prefix + "STRING_to_FLOAT" + suffix, string);
        }
        m.put("test_max_float64", float64);
        m.put("test_min_float64", float64);
        m.put("test_max_uint64", uint64);
        m.put("test_min_uint64", uint64);
        m.put("test_pow_types_float32_uint64", uint64);
        m.put("test_convtranspose_with_kernel", oldOpset + " (8)");
        m.put("test_globalaveragepool", oldOpset + " (1)");
        m.put("test_globalaveragepool_precomputed", oldOpset + " (1)");
        m.put("test_hardsigmoid", oldOpset + " (6)");
        m.put("test_hardsigmoid_default", oldOpset + " (6)");
        m.put("test_hardsigmoid_example", oldOpset + " (6)");
        m.put("test_identity_opt", "optional-typed input: the graph IR has tensors only");
        m.put("test_identity_sequence", "sequence-typed input: the graph IR has tensors only");
        String training = "Dropout in training mode drops values at random";
        m.put("test_training_dropout", training);
        m.put("test_training_dropout_default", training);
        m.put("test_training_dropout_default_mask", training);
        m.put("test_training_dropout_mask", training);
        String bnTraining = "BatchNormalization in training mode (running statistics outputs) is not supported";
        m.put("test_batchnorm_epsilon_training_mode", bnTraining);
        m.put("test_batchnorm_example_training_mode", bnTraining);
        return m;
    }

    static List<Path> testDirectories() {
        if (!Files.isDirectory(NODE_DIR)) {
            fail("ONNX backend node tests not found at " + NODE_DIR
                    + ": install the Debian package libonnx-testdata (scripts/test.sh does)");
        }
        try (Stream<Path> s = Files.list(NODE_DIR)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("model.onnx"))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether every node of the test's model is an op the importer supports. */
    static boolean usesOnlySupportedOps(Path dir) {
        ModelProto model = OnnxReader.read(dir.resolve("model.onnx"));
        for (NodeProto n : model.getGraph().getNodeList()) {
            if (!(n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx")) || !OpConverter.SUPPORTED.contains(n.getOpType())) {
                return false;
            }
        }
        return true;
    }

    static List<Path> supportedTests() {
        return testDirectories().stream().filter(BackendNodeTest::usesOnlySupportedOps).toList();
    }

    @TestFactory
    Stream<DynamicTest> supportedOpsMatchTheExpectedOutputs() {
        return supportedTests().stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> {
            String reason = SKIPPED.get(dir.getFileName().toString());
            Assumptions.assumeTrue(reason == null, () -> "skipped: " + reason);
            try {
                runAndCompare(dir);
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError(dir.getFileName() + ": " + e.getMessage(), e);
            }
        }));
    }

    @Test
    void skipsStayUnderTenPercent() {
        List<String> supported = supportedTests().stream().map(p -> p.getFileName().toString()).toList();
        assertThat(supported).containsAll(SKIPPED.keySet());
        assertThat(SKIPPED.size() * 10).as("skipped %d of %d supported tests", SKIPPED.size(), supported.size())
                .isLessThanOrEqualTo(supported.size());
    }

    /**
     * Inputs that the graph IR requires to be constants (Reshape's shape, Slice's bounds, Resize's
     * scales …, see {@link dev.tessera.operators.graph.Attribute}), by op type and input position.
     * The node tests feed them as graph inputs; here they are bound to their test values as
     * initializers, as they are in exported models.
     */
    static final Map<String, Set<Integer>> CONSTANT_INPUTS = Map.ofEntries(
            Map.entry("Reshape", Set.of(1)), Map.entry("Slice", Set.of(1, 2, 3, 4)), Map.entry("Pad", Set.of(1, 2, 3)),
            Map.entry("Clip", Set.of(1, 2)), Map.entry("Squeeze", Set.of(1)), Map.entry("Unsqueeze", Set.of(1)),
            Map.entry("ReduceMean", Set.of(1)), Map.entry("Split", Set.of(1)), Map.entry("Resize", Set.of(1, 2, 3)),
            Map.entry("ConstantOfShape", Set.of(0)), Map.entry("Dropout", Set.of(1, 2)));

    /** A test tensor; bfloat16 test data is stored with element type uint16 and is read as bfloat16. */
    static FloatTensor readTensor(Path pb, int declaredType) throws IOException {
        TensorProto t = TensorProto.parseFrom(Files.readAllBytes(pb));
        if (t.getDataType() == OnnxTypes.UINT16 && declaredType == OnnxTypes.BFLOAT16) {
            t = t.toBuilder().setDataType(OnnxTypes.BFLOAT16).build();
        }
        TensorData data = TensorData.of(pb.getFileName().toString(), t, pb.getParent());
        return FloatTensor.of(data.shape(), data.floats());
    }

    /**
     * The input with the shape of its test data: a backend runs on the tensors it is given, and a
     * few tests declare a shape their data do not have (CastLike's {@code like}, used only for its type).
     */
    private static ValueInfoProto withShapeOf(ValueInfoProto in, Path pb) throws IOException {
        TensorProto t = TensorProto.parseFrom(Files.readAllBytes(pb));
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : t.getDimsList()) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        ValueInfoProto.Builder b = in.toBuilder();
        b.getTypeBuilder().getTensorTypeBuilder().setShape(shape);
        return b.build();
    }

    static void runAndCompare(Path dir) throws IOException {
        Path data = dir.resolve("test_data_set_0");
        ModelProto model = OnnxReader.read(dir.resolve("model.onnx"));
        Set<String> constants = new HashSet<>();
        for (NodeProto n : model.getGraph().getNodeList()) {
            Set<Integer> positions = CONSTANT_INPUTS.getOrDefault(n.getOpType(), Set.of());
            for (int i = 0; i < n.getInputCount(); i++) {
                if (positions.contains(i)) {
                    constants.add(n.getInput(i));
                }
            }
        }
        GraphProto.Builder graph = model.getGraph().toBuilder().clearInput();
        Map<String, Integer> feedIndex = new LinkedHashMap<>();
        Map<String, Integer> feedType = new LinkedHashMap<>();
        List<ValueInfoProto> declared = model.getGraph().getInputList();
        for (int i = 0; i < declared.size(); i++) {
            ValueInfoProto in = declared.get(i);
            if (constants.contains(in.getName())) {
                graph.addInitializer(TensorProto.parseFrom(Files.readAllBytes(data.resolve("input_" + i + ".pb")))
                        .toBuilder().setName(in.getName()));
            } else {
                graph.addInput(withShapeOf(in, data.resolve("input_" + i + ".pb")));
                feedIndex.put(in.getName(), i);
                feedType.put(in.getName(), in.getType().getTensorType().getElemType());
            }
        }
        ImportedModel m = OnnxImporter.importModel(model.toBuilder().setGraph(graph).build(), dir,
                dir.getFileName().toString(), ImportOptions.DEFAULTS);
        List<Tensor> outputs = m.graph().tensors().stream().filter(t -> t.role() == TensorRole.OUTPUT).toList();
        Map<String, FloatTensor> feed = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : feedIndex.entrySet()) {
            feed.put(e.getKey(), readTensor(data.resolve("input_" + e.getValue() + ".pb"), feedType.get(e.getKey())));
        }
        Map<String, FloatTensor> actual = ReferenceInterpreter.run(m.graph(), m.weights(), feed);
        List<String> problems = new ArrayList<>();
        List<ValueInfoProto> declaredOutputs = model.getGraph().getOutputList();
        List<String> outputOrder = declaredOutputs.stream().map(ValueInfoProto::getName).toList();
        for (int i = 0; i < outputOrder.size(); i++) {
            FloatTensor expected = readTensor(data.resolve("output_" + i + ".pb"),
                    declaredOutputs.get(i).getType().getTensorType().getElemType());
            FloatTensor got = actual.get(outputOrder.get(i));
            Tolerance.Comparison c = Tolerance.DEFAULT.compare(got, expected);
            if (!c.passed()) {
                problems.add(outputOrder.get(i) + ": shape " + got.shapeList() + " vs " + expected.shapeList()
                        + ", max abs " + c.maxAbsError() + ", " + c.failures() + " elements out of tolerance"
                        + (c.worstIndex() >= 0 ? " (worst at " + c.worstIndex() + ": " + got.get(c.worstIndex())
                        + " vs " + expected.get(c.worstIndex()) + ")" : ""));
            }
        }
        assertThat(outputs).hasSameSizeAs(outputOrder);
        assertThat(problems).isEmpty();
    }

}
