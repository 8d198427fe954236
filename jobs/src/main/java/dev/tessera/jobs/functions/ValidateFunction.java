package dev.tessera.jobs.functions;

import dev.tessera.emulator.AcceleratorSpec;
import dev.tessera.jobs.records.CompileRequest;
import dev.tessera.jobs.serde.GraphMapper;
import dev.tessera.operators.InternalCompilerError;
import dev.tessera.operators.InvalidModelException;
import dev.tessera.operators.graph.Graph;
import dev.tessera.operators.graph.GraphLimits;
import dev.tessera.operators.graph.GraphStatistics;
import dev.tessera.operators.graph.GraphValidator;
import dev.tessera.schemas.avro.CompileResult;
import dev.tessera.schemas.avro.CompileStatus;
import dev.tessera.schemas.avro.DeadLetterReason;
import dev.tessera.schemas.avro.OptimizationMetrics;
import dev.tessera.schemas.avro.StageTime;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code validate} stage: {@code GraphValidator.validate} (structure, limits, shape inference)
 * and {@code GraphStatistics.of}, the first compiler stage. Its outcome is always a
 * {@link CompileResult}:
 * <ul>
 *   <li>valid → {@code OK}, and {@link OptimizationMetrics} on {@link #METRICS} with the statistics
 *       (the figures of later stages stay null);</li>
 *   <li>{@link InvalidModelException} (the user's model is wrong) → {@code REJECTED} with the
 *       reason, and a dead letter {@code INVALID_MODEL};</li>
 *   <li>any other exception (a compiler bug) → {@code INTERNAL_ERROR}, an error log naming the
 *       model and stage, the {@code internalErrors} counter, and a dead letter marked internal.</li>
 * </ul>
 * The job never fails over a model.
 */
public final class ValidateFunction extends ProcessFunction<CompileRequest, CompileResult> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ValidateFunction.class);
    public static final String STAGE = "validate";
    /** Side output of the metrics of every compile that succeeded. */
    public static final OutputTag<OptimizationMetrics> METRICS =
            new OutputTag<>("optimization-metrics", new AvroTypeInfo<>(OptimizationMetrics.class));

    // GraphLimits is a plain record of the compiler core (not Serializable): its four numbers travel
    // with the function and the record is rebuilt on the task.
    private final int maxNodes;
    private final long maxTensorElements;
    private final int maxRank;
    private final long maxTotalBytes;
    private final String compilerVersion;
    private transient GraphLimits limits;
    private transient Counter rejected;
    private transient Counter internalErrors;

    public ValidateFunction(GraphLimits limits, String compilerVersion) {
        this.maxNodes = limits.maxNodes();
        this.maxTensorElements = limits.maxTensorElements();
        this.maxRank = limits.maxRank();
        this.maxTotalBytes = limits.maxTotalBytes();
        this.compilerVersion = compilerVersion;
    }

    @Override
    public void open(OpenContext openContext) {
        limits = new GraphLimits(maxNodes, maxTensorElements, maxRank, maxTotalBytes);
        rejected = getRuntimeContext().getMetricGroup().counter("rejectedModels");
        internalErrors = getRuntimeContext().getMetricGroup().counter("internalErrors");
    }

    @Override
    public void processElement(CompileRequest request, Context ctx, Collector<CompileResult> out) {
        long start = System.nanoTime();
        try {
            GraphStatistics statistics = compile(request);
            List<StageTime> times = stageTimes(request, start);
            out.collect(result(request, CompileStatus.OK, null, times));
            ctx.output(METRICS, metrics(request, statistics, times));
        } catch (InvalidModelException e) {
            rejected.inc();
            out.collect(result(request, CompileStatus.REJECTED, e.getMessage(), stageTimes(request, start)));
            ctx.output(DeadLetters.TAG, DeadLetters.of(request.source(), STAGE, DeadLetterReason.INVALID_MODEL, e,
                    request.modelName(), request.modelVersion(), false));
        } catch (RuntimeException e) {
            internalErrors.inc();
            LOG.error("internal compiler error in stage {} for model {} version {} (profile '{}', from {})", STAGE,
                    request.modelName(), request.modelVersion(), request.specProfile(), request.source().position(), e);
            String reason = (e instanceof InternalCompilerError ? "" : e.getClass().getName() + ": ") + e.getMessage();
            out.collect(result(request, CompileStatus.INTERNAL_ERROR, reason, stageTimes(request, start)));
            ctx.output(DeadLetters.TAG, DeadLetters.of(request.source(), STAGE, DeadLetterReason.INTERNAL_ERROR, e,
                    request.modelName(), request.modelVersion(), true));
        }
    }

    private GraphStatistics compile(CompileRequest request) {
        if (request.specProfile().isBlank()) {
            throw new InvalidModelException("model " + request.modelName() + " version " + request.modelVersion()
                    + " names no target spec profile (specProfiles is empty)");
        }
        if (!AcceleratorSpec.BUILT_IN.contains(request.specProfile())) {
            throw new InvalidModelException("model " + request.modelName() + " version " + request.modelVersion()
                    + " targets unknown spec profile '" + request.specProfile() + "'; known: " + AcceleratorSpec.BUILT_IN);
        }
        Graph graph = GraphMapper.toGraph(request.event().getGraph());
        return GraphStatistics.of(GraphValidator.validate(graph, limits));
    }

    private static List<StageTime> stageTimes(CompileRequest request, long validateStart) {
        return List.of(new StageTime(DecodeFunction.STAGE, request.decodeMicros()),
                new StageTime(STAGE, (System.nanoTime() - validateStart) / 1_000));
    }

    private CompileResult result(CompileRequest request, CompileStatus status, String reason, List<StageTime> times) {
        return CompileResult.newBuilder()
                .setModelName(request.modelName())
                .setModelVersion(request.modelVersion())
                .setSpecProfile(request.specProfile())
                .setStatus(status)
                .setReason(reason)
                .setCompilerVersion(compilerVersion)
                .setGraphSha256(request.graphSha256())
                .setGraphChanged(request.graphChanged())
                .setArtifactUri(null)
                .setArtifactSha256(null)
                .setStageTimes(times)
                .build();
    }

    private OptimizationMetrics metrics(CompileRequest request, GraphStatistics statistics, List<StageTime> times) {
        // Only the stage-one figures exist; the builder leaves every later figure null.
        return OptimizationMetrics.newBuilder()
                .setModelName(request.modelName())
                .setModelVersion(request.modelVersion())
                .setSpecProfile(request.specProfile())
                .setCompilerVersion(compilerVersion)
                .setGraphSha256(request.graphSha256())
                .setParameters(statistics.parameters())
                .setMacs(statistics.macs())
                .setActivationBytes(statistics.activationBytes())
                .setPeakActivationBytes(statistics.peakActivationBytes())
                .setStageTimes(times)
                .build();
    }
}
