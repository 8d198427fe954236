package dev.tessera.operators.onnx;

import static dev.tessera.operators.onnx.Models.model;
import static dev.tessera.operators.onnx.Models.node;
import static dev.tessera.operators.onnx.Models.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.tessera.operators.onnx.proto.OnnxProto.GraphProto;
import dev.tessera.operators.onnx.proto.OnnxProto.TensorProto;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Importing needs shapes, not weights: a 96 MiB model (three 32 MiB MatMul weights) imports in a JVM
 * whose whole heap is 48 MiB, which would not hold one copy of its weights.
 */
class LargeModelMemoryTest {
    private static final int ROWS = 4096;
    private static final int COLS = 2048;

    @TempDir
    Path dir;

    @Test
    void importsA96MiBModelInA48MiBHeap() throws Exception {
        ByteString weight = ByteString.copyFrom(new byte[ROWS * COLS * 4]);
        GraphProto.Builder g = GraphProto.newBuilder()
                .addInput(value("x", OnnxTypes.FLOAT, "batch", ROWS))
                .addOutput(value("y", OnnxTypes.FLOAT));
        String previous = "x";
        for (int i = 0; i < 3; i++) {
            boolean wide = i % 2 == 1;
            g.addInitializer(TensorProto.newBuilder().setName("w" + i).setDataType(OnnxTypes.FLOAT)
                    .addDims(wide ? COLS : ROWS).addDims(wide ? ROWS : COLS).setRawData(weight));
            String out = i == 2 ? "y" : "h" + i;
            g.addNode(node("MatMul", new String[] {previous, "w" + i}, new String[] {out}));
            previous = out;
        }
        Path file = Models.write(dir, "large.onnx", model(13, g));
        assertThat(Files.size(file)).isGreaterThan(96L << 20);

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx48m", "-cp", System.getProperty("java.class.path"),
                ImportProbe.class.getName(), file.toString())).redirectErrorStream(true).start();
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        String[] fields = output.split("\\s+");
        assertThat(fields[0] + " " + fields[1] + " " + fields[2]).isEqualTo("7 3 3");
        System.out.println("heap used after importing " + Files.size(file) + " bytes: " + fields[3] + " bytes");
    }
}
