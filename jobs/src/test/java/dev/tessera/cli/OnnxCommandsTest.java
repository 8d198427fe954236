package dev.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.operators.onnx.proto.OnnxProto.AttributeProto;
import dev.tessera.operators.onnx.proto.OnnxProto.GraphProto;
import dev.tessera.operators.onnx.proto.OnnxProto.ModelProto;
import dev.tessera.operators.onnx.proto.OnnxProto.NodeProto;
import dev.tessera.operators.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.tessera.operators.onnx.proto.OnnxProto.TensorProto;
import dev.tessera.operators.onnx.proto.OnnxProto.TensorShapeProto;
import dev.tessera.operators.onnx.proto.OnnxProto.TypeProto;
import dev.tessera.operators.onnx.proto.OnnxProto.ValueInfoProto;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tessera import} and {@code tessera verify} on small models written by the test. */
class OnnxCommandsTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int run(String... args) {
        return TesseraCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    /** x [batch, 3, 8, 8] → Conv 3×3 (4 maps) → Relu → GlobalAveragePool → Flatten → Gemm (4 → 2). */
    private Path convNet() throws Exception {
        GraphProto.Builder g = GraphProto.newBuilder().setName("tiny")
                .addInput(value("x", "batch", 3, 8, 8)).addOutput(value("y"))
                .addInitializer(random("w", 4, 3, 3, 3)).addInitializer(random("b", 4))
                .addInitializer(random("fc", 2, 4)).addInitializer(random("fcb", 2))
                .addNode(node("Conv", List.of("x", "w", "b"), "c", ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1)))
                .addNode(node("Relu", List.of("c"), "r"))
                .addNode(node("GlobalAveragePool", List.of("r"), "p"))
                .addNode(node("Flatten", List.of("p"), "f"))
                .addNode(node("Gemm", List.of("f", "fc", "fcb"), "y", AttributeProto.newBuilder().setName("transB")
                        .setType(AttributeProto.AttributeType.INT).setI(1).build()));
        return write("tiny.onnx", g);
    }

    @Test
    void importPrintsOpsParametersMacsAndShapes() throws Exception {
        assertThat(run("import", convNet().toString(), "--dim", "batch=2")).isZero();
        assertThat(out.toString())
                .contains("input      x float32 [2, 3, 8, 8]")
                .contains("output     y float32 [2, 2]")
                // 4·3·3·3 + 4 + 2·4 + 2
                .contains("parameters 122 (488 bytes)")
                // Conv 2·4·8·8 · 3·3·3 + Gemm 2·2·4
                .contains("MACs       13,840")
                .containsPattern("Conv +1");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void importJsonIsOneObject() throws Exception {
        assertThat(run("import", convNet().toString(), "--json")).isZero();
        assertThat(out.toString().trim()).startsWith("{").endsWith("}")
                .contains("\"parameters\":122").contains("\"macs\":6920")
                .contains("\"inputs\":[{\"dtype\":\"float32\",\"name\":\"x\",\"shape\":[1,3,8,8]}]");
    }

    @Test
    void importOfAFileThatIsNotOnnxIsAClearErrorWithExitCode1() throws Exception {
        Path notes = Files.writeString(dir.resolve("notes.onnx"), "hello\n");
        assertThat(run("import", notes.toString())).isEqualTo(1);
        assertThat(err.toString()).startsWith("error: ").contains("notes.onnx").contains("not");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aMalformedDimensionIsBadUsage() throws Exception {
        assertThat(run("import", convNet().toString(), "--dim", "batch")).isEqualTo(2);
        assertThat(err.toString()).contains("expected name=value, got 'batch'");
    }

    @Test
    void verifyAgreesWithOnnxRuntime() throws Exception {
        assertThat(run("verify", convNet().toString())).isZero();
        assertThat(out.toString()).containsPattern("y +\\[1, 2\\] .* pass").contains("all outputs agree");
    }

    @Test
    void verifyFailsWhenTheToleranceIsTooTight() throws Exception {
        // float32 ONNX Runtime and the double-accumulating interpreter differ in the last bits of a
        // 512-long dot product; with no tolerance at all that is a failure.
        GraphProto.Builder g = GraphProto.newBuilder().setName("dot")
                .addInput(value("x", 64, 512)).addOutput(value("y"))
                .addInitializer(random("w", 512, 64))
                .addNode(node("MatMul", List.of("x", "w"), "y"));
        Path file = write("dot.onnx", g);
        assertThat(run("verify", file.toString(), "--atol", "0", "--rtol", "0")).isEqualTo(1);
        assertThat(out.toString()).contains("FAIL").contains("outputs disagree");
    }

    // ---- model building ----

    private Path write(String name, GraphProto.Builder g) throws Exception {
        ModelProto m = ModelProto.newBuilder().setIrVersion(8).setProducerName("test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(g).build();
        Path file = dir.resolve(name);
        Files.write(file, m.toByteArray());
        return file;
    }

    private static ValueInfoProto value(String name, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            shape.addDim(d instanceof String s ? TensorShapeProto.Dimension.newBuilder().setDimParam(s)
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(((Number) d).longValue()));
        }
        TypeProto.Tensor.Builder t = TypeProto.Tensor.newBuilder().setElemType(1);
        if (dims.length > 0) {
            t.setShape(shape);
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(t)).build();
    }

    private static TensorProto random(String name, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(1);
        long n = 1;
        for (long d : dims) {
            t.addDims(d);
            n *= d;
        }
        SplittableRandom r = new SplittableRandom(name.hashCode());
        for (long i = 0; i < n; i++) {
            t.addFloatData((float) (r.nextDouble() * 2 - 1));
        }
        return t.build();
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private static NodeProto node(String op, List<String> inputs, String output, AttributeProto... attributes) {
        return NodeProto.newBuilder().setOpType(op).setName(output).addAllInput(inputs).addOutput(output)
                .addAllAttribute(List.of(attributes)).build();
    }
}
