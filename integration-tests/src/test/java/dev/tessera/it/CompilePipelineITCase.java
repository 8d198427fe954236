package dev.tessera.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.it.KafkaTestClient.Isolation;
import dev.tessera.jobs.CompileJob;
import dev.tessera.jobs.CompileJobConfig;
import dev.tessera.jobs.CompileWorkflow;
import dev.tessera.jobs.embedded.EmbeddedKafka;
import dev.tessera.jobs.kafka.KafkaIo;
import dev.tessera.jobs.serde.GraphMapper;
import dev.tessera.operators.graph.DType;
import dev.tessera.operators.graph.Graph;
import dev.tessera.operators.graph.Node;
import dev.tessera.operators.graph.Tensor;
import dev.tessera.operators.graph.TensorRole;
import dev.tessera.operators.graph.zoo.Zoo;
import dev.tessera.schemas.SingleObjectCodec;
import dev.tessera.schemas.avro.CompileResult;
import dev.tessera.schemas.avro.CompileStatus;
import dev.tessera.schemas.avro.DeadLetter;
import dev.tessera.schemas.avro.DeadLetterReason;
import dev.tessera.schemas.avro.ModelGraphEvent;
import dev.tessera.schemas.avro.OptimizationMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The compile job end to end on a real in-process KRaft broker and a Flink MiniCluster: bad input
 * never stops it, duplicates are dropped, and results are exactly once across a task failure.
 */
class CompilePipelineITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final List<String> ZOO = List.of("resnet50", "mobilenetv2", "inceptionv3", "vgg16", "bert-base");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static EmbeddedKafka kafka;
    private static KafkaTestClient client;
    private final SingleObjectCodec<ModelGraphEvent> codec = SingleObjectCodec.of(ModelGraphEvent.class);

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
        client = new KafkaTestClient(kafka.bootstrapServers());
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    /** Fresh topics and a unique transactional-id prefix per test: tests never see each other's data. */
    private CompileJobConfig freshTopics(String test, int inputPartitions) {
        String run = test + "-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Integer> topics = new LinkedHashMap<>();
        topics.put(run + ".in", inputPartitions);
        topics.put(run + ".results", 1);
        topics.put(run + ".metrics", 1);
        topics.put(run + ".dead", 1);
        kafka.createTopics(topics);
        return CompileJobConfig.fromArgs("--bootstrap.servers", kafka.bootstrapServers(), "--topic.input", run + ".in",
                "--topic.results", run + ".results", "--topic.metrics", run + ".metrics", "--topic.dead-letters", run + ".dead",
                "--group.id", run, "--transactional.id.prefix", run, "--parallelism", "2", "--checkpoint.interval", "300ms");
    }

    private static StreamExecutionEnvironment environment() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false); // proves that nothing falls back to Kryo
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        return StreamExecutionEnvironment.getExecutionEnvironment(conf);
    }

    private Map.Entry<String, byte[]> event(String model, String version, Graph graph) {
        return Map.entry(model, codec.encode(GraphMapper.event(model, version, List.of("inferentia2"), Map.of("owner", "it"), graph)));
    }

    @Test
    void badInputBecomesDeadLettersAndRejectionsWhileGoodModelsCompileOnce() throws Exception {
        CompileJobConfig config = freshTopics("mixed", 2);
        byte[] good = event("mlp", "1", Zoo.build("mlp")).getValue();
        byte[] unknownSchema = good.clone();
        unknownSchema[4] ^= 0x21;
        Graph dangling = new Graph("broken",
                List.of(new Tensor("x", List.of(1L, 8L), DType.FLOAT32, TensorRole.INPUT),
                        new Tensor("y", null, DType.FLOAT32, TensorRole.OUTPUT)),
                List.of(new Node("relu", "Relu", List.of("nowhere"), List.of("y"), Map.of())));

        List<Map.Entry<String, byte[]>> records = new ArrayList<>();
        for (String model : ZOO) {
            records.add(event(model, "1", Zoo.build(model)));
        }
        records.add(Map.entry("garbage", new byte[] {0x0A, 0x0B, 0x0C}));
        records.add(Map.entry("unknown-schema", unknownSchema));
        records.add(Map.entry("truncated", Arrays.copyOf(good, good.length / 2)));
        records.add(event("resnet50", "1", Zoo.build("resnet50")));
        records.add(event("broken", "1", dangling));
        client.produce(config.inputTopic(), records);

        StreamExecutionEnvironment env = environment();
        CompileJob.configure(env, config, true);
        env.execute("mixed-input");

        List<CompileResult> results = client.read(config.resultsTopic(), CompileResult.class, Isolation.READ_COMMITTED, 6,
                Duration.ofMillis(500), TIMEOUT);
        List<OptimizationMetrics> metrics = client.read(config.metricsTopic(), OptimizationMetrics.class,
                Isolation.READ_COMMITTED, 5, Duration.ofMillis(500), TIMEOUT);
        List<DeadLetter> dead = client.read(config.deadLettersTopic(), DeadLetter.class, Isolation.READ_COMMITTED, 4,
                Duration.ofMillis(500), TIMEOUT);

        assertThat(results).filteredOn(r -> r.getStatus() == CompileStatus.OK)
                .extracting(CompileResult::getModelName).containsExactlyInAnyOrderElementsOf(ZOO);
        assertThat(results).filteredOn(r -> r.getStatus() == CompileStatus.REJECTED).singleElement().satisfies(r -> {
            assertThat(r.getModelName()).isEqualTo("broken");
            assertThat(r.getReason()).contains("nowhere");
        });
        assertThat(results).as("5 ok + 1 rejected; the duplicate resnet50 is skipped").hasSize(6);
        assertThat(metrics).extracting(OptimizationMetrics::getModelName).containsExactlyInAnyOrderElementsOf(ZOO);
        assertThat(metrics).allSatisfy(m -> {
            assertThat(m.getParameters()).isPositive();
            assertThat(m.getMacs()).isPositive();
            assertThat(m.getPeakActivationBytes()).isPositive().isLessThanOrEqualTo(m.getActivationBytes());
            assertThat(m.getDramBytesAfter()).isNull();
        });
        assertThat(dead).extracting(DeadLetter::getReason).containsExactlyInAnyOrder(
                DeadLetterReason.BAD_HEADER, DeadLetterReason.UNKNOWN_SCHEMA, DeadLetterReason.MALFORMED, DeadLetterReason.INVALID_MODEL);
        assertThat(dead).allSatisfy(d -> {
            assertThat(d.getMessage()).isNotBlank();
            assertThat(d.getOriginalValue()).isNotNull();
            assertThat(d.getTopic()).isEqualTo(config.inputTopic());
        });
    }

    @Test
    void aTaskFailureWithAnOpenTransactionLeavesEveryResultExactlyOnce() throws Exception {
        CompileJobConfig config = freshTopics("failover", 1).withCheckpointInterval(Duration.ofMillis(500));
        List<String> first = List.of("mlp", "conv-relu", "residual-block", "attention-block", "mobilenetv2");
        List<Map.Entry<String, byte[]>> batch1 = new ArrayList<>();
        for (String model : first) {
            batch1.add(event(model, "1", Zoo.build(model)));
        }
        client.produce(config.inputTopic(), batch1);

        StreamExecutionEnvironment env = environment();
        env.enableCheckpointing(config.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        env.setParallelism(config.parallelism());
        String servers = config.bootstrapServers();
        Duration txTimeout = config.transactionTimeout();
        CompileWorkflow.define(env,
                KafkaIo.source(servers, config.inputTopic(), config.groupId(), false, new FailOnceDeserializer("trigger", 1500)),
                KafkaIo.sink(servers, config.resultsTopic(), CompileResult.class, CompileResult::getModelName,
                        config.transactionalIdPrefix() + "-results", txTimeout),
                KafkaIo.sink(servers, config.metricsTopic(), OptimizationMetrics.class, OptimizationMetrics::getModelName,
                        config.transactionalIdPrefix() + "-metrics", txTimeout),
                KafkaIo.sink(servers, config.deadLettersTopic(), DeadLetter.class, DeadLetter::getModelName,
                        config.transactionalIdPrefix() + "-dead", txTimeout),
                config.workflow());
        JobClient job = env.executeAsync("failover");
        try {
            // Committed output exists only after a completed checkpoint.
            List<CompileResult> committed = client.read(config.resultsTopic(), CompileResult.class, Isolation.READ_COMMITTED,
                    5, Duration.ZERO, TIMEOUT);
            assertThat(committed).hasSize(5);
            assertThat(FailOnceDeserializer.FAILED).isFalse();

            client.produce(config.inputTopic(), List.of(
                    event("second-a", "1", Zoo.build("mlp")),
                    event("second-b", "1", Zoo.build("conv-relu")),
                    event("trigger", "1", Zoo.build("residual-block"))));

            List<CompileResult> all = client.read(config.resultsTopic(), CompileResult.class, Isolation.READ_COMMITTED, 8,
                    Duration.ofMillis(1500), TIMEOUT);
            List<CompileResult> uncommitted = client.read(config.resultsTopic(), CompileResult.class,
                    Isolation.READ_UNCOMMITTED, 8, Duration.ofMillis(200), TIMEOUT);
            List<OptimizationMetrics> metrics = client.read(config.metricsTopic(), OptimizationMetrics.class,
                    Isolation.READ_COMMITTED, 8, Duration.ofMillis(200), TIMEOUT);

            assertThat(FailOnceDeserializer.FAILED).as("the failure was injected").isTrue();
            List<String> expected = new ArrayList<>(first);
            expected.addAll(List.of("second-a", "second-b", "trigger"));
            assertThat(all).extracting(CompileResult::getModelName).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(metrics).extracting(OptimizationMetrics::getModelName).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(uncommitted.size())
                    .as("read_uncommitted also sees the records of the aborted transaction")
                    .isGreaterThan(all.size());
            assertThat(uncommitted).extracting(CompileResult::getModelName).containsAll(expected);
        } finally {
            job.cancel().get();
        }
    }
}
