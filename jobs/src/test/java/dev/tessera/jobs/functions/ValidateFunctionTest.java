package dev.tessera.jobs.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.jobs.records.CompileRequest;
import dev.tessera.operators.graph.DType;
import dev.tessera.operators.graph.Graph;
import dev.tessera.operators.graph.GraphLimits;
import dev.tessera.operators.graph.GraphStatistics;
import dev.tessera.operators.graph.GraphValidator;
import dev.tessera.operators.graph.Node;
import dev.tessera.operators.graph.Tensor;
import dev.tessera.operators.graph.TensorRole;
import dev.tessera.operators.graph.zoo.Zoo;
import dev.tessera.schemas.avro.CompileResult;
import dev.tessera.schemas.avro.CompileStatus;
import dev.tessera.schemas.avro.DeadLetterReason;
import dev.tessera.schemas.avro.OptimizationMetrics;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/** Tests for {@link ValidateFunction}: valid, invalid and over-the-limit graphs. */
class ValidateFunctionTest {
    @Test
    void aValidGraphIsOkWithItsStatisticsAndNullLaterFigures() throws Exception {
        try (var harness = ProcessFunctionTestHarnesses.forProcessFunction(new ValidateFunction(GraphLimits.DEFAULTS, "c1"))) {
            harness.processElement(TestEvents.request("vgg16", "7", "vgg16"), 0);

            CompileResult result = harness.extractOutputValues().get(0);
            assertThat(result.getStatus()).isEqualTo(CompileStatus.OK);
            assertThat(result.getReason()).isNull();
            assertThat(result.getCompilerVersion()).isEqualTo("c1");
            assertThat(result.getArtifactUri()).isNull();
            assertThat(result.getStageTimes()).extracting(t -> t.getStage()).containsExactly("decode", "validate");

            GraphStatistics expected = GraphStatistics.of(GraphValidator.validate(Zoo.build("vgg16"), GraphLimits.DEFAULTS));
            OptimizationMetrics metrics = harness.getSideOutput(ValidateFunction.METRICS).poll().getValue();
            assertThat(metrics.getParameters()).isEqualTo(expected.parameters());
            assertThat(metrics.getMacs()).isEqualTo(expected.macs());
            assertThat(metrics.getActivationBytes()).isEqualTo(expected.activationBytes());
            assertThat(metrics.getPeakActivationBytes()).isEqualTo(expected.peakActivationBytes());
            assertThat(metrics.getLoadStorePairsFound()).isNull();
            assertThat(metrics.getEmulatedCyclesAfter()).isNull();
            assertThat(harness.getSideOutput(DeadLetters.TAG)).isNullOrEmpty();
        }
    }

    @Test
    void anInvalidGraphIsRejectedWithADeadLetterNamingTheProblem() throws Exception {
        Graph dangling = new Graph("broken",
                List.of(new Tensor("x", List.of(1L, 4L), DType.FLOAT32, TensorRole.INPUT),
                        new Tensor("y", null, DType.FLOAT32, TensorRole.OUTPUT)),
                List.of(new Node("relu", "Relu", List.of("missing"), List.of("y"), Map.of())));
        try (var harness = ProcessFunctionTestHarnesses.forProcessFunction(new ValidateFunction(GraphLimits.DEFAULTS, "c1"))) {
            harness.processElement(TestEvents.request("broken", "1", dangling), 0);

            CompileResult result = harness.extractOutputValues().get(0);
            assertThat(result.getStatus()).isEqualTo(CompileStatus.REJECTED);
            assertThat(result.getReason()).contains("missing");
            assertThat(harness.getSideOutput(ValidateFunction.METRICS)).isNullOrEmpty();
            var dead = harness.getSideOutput(DeadLetters.TAG).poll().getValue();
            assertThat(dead.getReason()).isEqualTo(DeadLetterReason.INVALID_MODEL);
            assertThat(dead.getStage()).isEqualTo("validate");
            assertThat(dead.getModelName()).isEqualTo("broken");
            assertThat(dead.getMessage()).isEqualTo(result.getReason());
            assertThat(dead.getInternal()).isFalse();
        }
    }

    @Test
    void aGraphOverALimitIsRejected() throws Exception {
        GraphLimits tiny = new GraphLimits(3, GraphLimits.DEFAULTS.maxTensorElements(), 8, GraphLimits.DEFAULTS.maxTotalBytes());
        try (var harness = ProcessFunctionTestHarnesses.forProcessFunction(new ValidateFunction(tiny, "c1"))) {
            harness.processElement(TestEvents.request("resnet50", "1", "resnet50"), 0);
            assertThat(harness.extractOutputValues().get(0).getStatus()).isEqualTo(CompileStatus.REJECTED);
            assertThat(harness.getSideOutput(DeadLetters.TAG)).hasSize(1);
        }
    }

    @Test
    void aBrokenInvariantIsAnInternalErrorResultAndAnInternalDeadLetter() throws Exception {
        CompileRequest request = TestEvents.request("mlp", "1", "mlp");
        // An Integer where the schema allows only long, double, string or a list record: decoding can
        // never produce this, so the mapper treats it as a bug of its own.
        request.event().getGraph().getNodes().get(0).getAttributes().put("bogus", Integer.valueOf(1));
        try (var harness = ProcessFunctionTestHarnesses.forProcessFunction(new ValidateFunction(GraphLimits.DEFAULTS, "c1"))) {
            harness.processElement(request, 0);

            CompileResult result = harness.extractOutputValues().get(0);
            assertThat(result.getStatus()).isEqualTo(CompileStatus.INTERNAL_ERROR);
            assertThat(result.getReason()).contains("IllegalStateException", "bogus");
            var dead = harness.getSideOutput(DeadLetters.TAG).poll().getValue();
            assertThat(dead.getInternal()).isTrue();
            assertThat(dead.getReason()).isEqualTo(DeadLetterReason.INTERNAL_ERROR);
            assertThat(dead.getErrorClass()).isEqualTo(IllegalStateException.class.getName());
        }
    }

    @Test
    void anEventWithoutSpecProfileIsRejected() throws Exception {
        CompileRequest request = TestEvents.request("mlp", "1", "mlp");
        CompileRequest none = new CompileRequest(request.event(), "", request.graphSha256(), 1, false, request.source());
        try (var harness = ProcessFunctionTestHarnesses.forProcessFunction(new ValidateFunction(GraphLimits.DEFAULTS, "c1"))) {
            harness.processElement(none, 0);
            assertThat(harness.extractOutputValues().get(0).getReason()).contains("names no target spec profile");
        }
    }

    @Test
    void anUnknownSpecProfileIsRejectedNamingTheKnownOnes() throws Exception {
        CompileRequest request = TestEvents.request("mlp", "1", "mlp");
        CompileRequest unknown = new CompileRequest(request.event(), "inferentia9", request.graphSha256(), 1, false, request.source());
        try (var harness = ProcessFunctionTestHarnesses.forProcessFunction(new ValidateFunction(GraphLimits.DEFAULTS, "c1"))) {
            harness.processElement(unknown, 0);
            CompileResult result = harness.extractOutputValues().get(0);
            assertThat(result.getStatus()).isEqualTo(CompileStatus.REJECTED);
            assertThat(result.getReason()).contains("unknown spec profile 'inferentia9'", "inferentia1", "inferentia2");
            assertThat(harness.getSideOutput(DeadLetters.TAG).poll().getValue().getReason())
                    .isEqualTo(DeadLetterReason.INVALID_MODEL);
        }
    }
}
