package dev.tessera.jobs;

import dev.tessera.jobs.kafka.KafkaIo;
import dev.tessera.schemas.avro.CompileResult;
import dev.tessera.schemas.avro.DeadLetter;
import dev.tessera.schemas.avro.OptimizationMetrics;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The streaming compile job, the main class of {@code tessera-job.jar}: reads its settings
 * ({@link CompileJobConfig}), builds the Kafka source and the three exactly-once sinks, and wires
 * them with {@link CompileWorkflow#define}. Nothing else happens here.
 *
 * <pre>
 * flink run tessera-job.jar --bootstrap.servers kafka:9092 [--properties compile.properties] [--parallelism 4]
 * </pre>
 */
public final class CompileJob {
    public static final String NAME = "tessera-compile";

    private CompileJob() {}

    public static void main(String[] args) throws Exception {
        CompileJobConfig config = CompileJobConfig.fromArgs(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        configure(env, config, false);
        env.execute(NAME);
    }

    /**
     * Sets up checkpointing and parallelism and defines the pipeline on {@code env}.
     *
     * @param bounded stop at the input offsets that are latest at start (a recompile of what is there)
     */
    public static void configure(StreamExecutionEnvironment env, CompileJobConfig config, boolean bounded) {
        env.enableCheckpointing(config.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        if (config.parallelism() != null) {
            env.setParallelism(config.parallelism());
        }
        String servers = config.bootstrapServers();
        String prefix = config.transactionalIdPrefix();
        CompileWorkflow.define(env,
                KafkaIo.source(servers, config.inputTopic(), config.groupId(), bounded),
                KafkaIo.sink(servers, config.resultsTopic(), CompileResult.class, CompileResult::getModelName,
                        prefix + "-results", config.transactionTimeout()),
                KafkaIo.sink(servers, config.metricsTopic(), OptimizationMetrics.class, OptimizationMetrics::getModelName,
                        prefix + "-metrics", config.transactionTimeout()),
                KafkaIo.sink(servers, config.deadLettersTopic(), DeadLetter.class, DeadLetter::getModelName,
                        prefix + "-dead-letters", config.transactionTimeout()),
                config.workflow());
    }
}
