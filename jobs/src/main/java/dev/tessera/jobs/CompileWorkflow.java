package dev.tessera.jobs;

import dev.tessera.jobs.functions.DeadLetters;
import dev.tessera.jobs.functions.DecodeFunction;
import dev.tessera.jobs.functions.DedupFunction;
import dev.tessera.jobs.functions.ValidateFunction;
import dev.tessera.jobs.records.CompileRequest;
import dev.tessera.jobs.records.Inbound;
import dev.tessera.schemas.avro.CompileResult;
import dev.tessera.schemas.avro.DeadLetter;
import dev.tessera.schemas.avro.OptimizationMetrics;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The topology of the compile pipeline (DESIGN §1), and nothing else: the caller brings the source
 * and one sink per output topic, so the job, the embedded default and the tests share it.
 *
 * <pre>
 *  registry-events ─► decode ─bad bytes──────────────────────────────┐
 *                       │ keyBy(model name)                            ▼
 *                     dedup ─(duplicates dropped)            dead-letters sink
 *                       ▼                                              ▲
 *                    validate ─rejected / internal error───────────────┘
 *                       ├─► compile-results sink
 *                       └─► optimization-metrics sink
 * </pre>
 *
 * Every operator has a name and a stable uid, so savepoints survive changes of the topology.
 * Later stages (lower, analyze, plan, codegen, emulate) go between validate and the sinks.
 */
public final class CompileWorkflow {
    private CompileWorkflow() {}

    public static void define(StreamExecutionEnvironment env, Source<Inbound, ?, ?> source, Sink<CompileResult> results,
            Sink<OptimizationMetrics> metrics, Sink<DeadLetter> deadLetters, WorkflowOptions options) {
        DataStream<Inbound> inbound = env
                .fromSource(source, WatermarkStrategy.noWatermarks(), "registry-events")
                .uid("registry-events");

        SingleOutputStreamOperator<CompileRequest> decoded = inbound
                .process(new DecodeFunction(options.maxEventBytes()))
                .name(DecodeFunction.STAGE).uid(DecodeFunction.STAGE);

        SingleOutputStreamOperator<CompileRequest> fresh = decoded
                .keyBy(CompileRequest::modelName, Types.STRING)
                .process(new DedupFunction(options.dedupTtl(), options.compilerVersion()))
                .name(DedupFunction.STAGE).uid(DedupFunction.STAGE);

        SingleOutputStreamOperator<CompileResult> compiled = fresh
                .process(new ValidateFunction(options.limits(), options.compilerVersion()))
                .name(ValidateFunction.STAGE).uid(ValidateFunction.STAGE);

        compiled.sinkTo(results).name("compile-results").uid("compile-results");
        compiled.getSideOutput(ValidateFunction.METRICS)
                .sinkTo(metrics).name("optimization-metrics").uid("optimization-metrics");
        decoded.getSideOutput(DeadLetters.TAG)
                .union(compiled.getSideOutput(DeadLetters.TAG))
                .sinkTo(deadLetters).name("dead-letters").uid("dead-letters");
    }
}
