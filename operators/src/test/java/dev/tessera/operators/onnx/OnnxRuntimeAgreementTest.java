package dev.tessera.operators.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.operators.graph.Graph;
import dev.tessera.operators.graph.Node;
import dev.tessera.operators.graph.Tensor;
import dev.tessera.operators.reference.FloatTensor;
import dev.tessera.operators.reference.ReferenceInterpreter;
import dev.tessera.operators.reference.SeededInputs;
import dev.tessera.operators.reference.Tolerance;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Real PaddleOCR models (fetched by {@link OcrModels}) import with every shape inferred, and the
 * reference interpreter agrees with ONNX Runtime on a seeded input within {@link Tolerance#DEFAULT}.
 */
class OnnxRuntimeAgreementTest {
    private static final long SEED = 42;

    @Test
    void classifierImportsAndMatchesOnnxRuntime() throws Exception {
        ImportedModel m = importOcr(OcrModels.classifier(), Map.of(OcrModels.HEIGHT, 48L, OcrModels.WIDTH, 192L));
        assertThat(count(m.graph(), "Conv")).isGreaterThanOrEqualTo(50);
        assertAgrees(OcrModels.classifier(), m);
    }

    @Test
    void recognizerImportsAndMatchesOnnxRuntime() throws Exception {
        // The recogniser's height is fixed at 48; its only symbolic dimension is the width.
        ImportedModel m = importOcr(OcrModels.recognizer(), Map.of(OcrModels.HEIGHT, 160L));
        assertThat(m.graph().tensors().get(0).shape()).containsExactly(1L, 3L, 48L, 160L);
        assertThat(count(m.graph(), "MatMul")).isGreaterThan(0);
        assertAgrees(OcrModels.recognizer(), m);
    }

    @Test
    void detectorImportsAndMatchesOnnxRuntime() throws Exception {
        ImportedModel m = importOcr(OcrModels.detector(), Map.of(OcrModels.HEIGHT, 64L, OcrModels.WIDTH, 96L));
        assertThat(count(m.graph(), "Resize")).isGreaterThan(0);
        assertThat(count(m.graph(), "ConvTranspose")).isGreaterThan(0);
        assertAgrees(OcrModels.detector(), m);
    }

    private static ImportedModel importOcr(Path model, Map<String, Long> dimensions) {
        ImportedModel m = OnnxImporter.importGraph(model, new ImportOptions(dimensions,
                ImportOptions.DEFAULT_MAX_DIMENSION, dev.tessera.operators.graph.GraphLimits.DEFAULTS));
        assertThat(m.graph().tensors()).allMatch(Tensor::hasShape);
        assertThat(m.graph().nodes()).extracting(Node::opType).doesNotContain("Shape", "Constant", "ConstantOfShape");
        return m;
    }

    private static long count(Graph g, String op) {
        return g.nodes().stream().filter(n -> n.opType().equals(op)).count();
    }

    private static void assertAgrees(Path file, ImportedModel m) throws Exception {
        Map<String, FloatTensor> inputs = SeededInputs.forGraph(m.graph(), SEED);
        Map<String, FloatTensor> reference = ReferenceInterpreter.run(m.graph(), m.weights(), inputs);
        Map<String, FloatTensor> ort = OrtOracle.run(file, inputs);
        assertThat(reference.keySet()).isEqualTo(ort.keySet());
        for (String name : reference.keySet()) {
            Tolerance.Comparison c = Tolerance.DEFAULT.compare(reference.get(name), ort.get(name));
            System.out.printf("%s %s %s: max abs %.3g, max rel %.3g, %s%n", m.graph().name(), name,
                    reference.get(name).shapeList(), c.maxAbsError(), c.maxRelError(), c.passed() ? "pass" : "FAIL");
            assertThat(c.passed()).as("%s output %s: max abs %s, %d elements out of tolerance", file.getFileName(),
                    name, c.maxAbsError(), c.failures()).isTrue();
        }
    }
}
