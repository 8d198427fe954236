package dev.tessera.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.cli.TesseraCli;
import dev.tessera.it.KafkaTestClient.Isolation;
import dev.tessera.jobs.embedded.EmbeddedKafka;
import dev.tessera.schemas.SingleObjectCodec;
import dev.tessera.jobs.serde.GraphMapper;
import dev.tessera.operators.graph.zoo.Zoo;
import dev.tessera.schemas.avro.CompileResult;
import dev.tessera.schemas.avro.CompileStatus;
import dev.tessera.schemas.avro.ModelGraphEvent;
import dev.tessera.schemas.avro.OptimizationMetrics;
import dev.tessera.operators.graph.Graph;
import dev.tessera.operators.graph.Node;
import dev.tessera.operators.onnx.proto.OnnxProto.GraphProto;
import dev.tessera.operators.onnx.proto.OnnxProto.ModelProto;
import dev.tessera.operators.onnx.proto.OnnxProto.NodeProto;
import dev.tessera.operators.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.tessera.operators.onnx.proto.OnnxProto.TensorShapeProto;
import dev.tessera.operators.onnx.proto.OnnxProto.TypeProto;
import dev.tessera.operators.onnx.proto.OnnxProto.ValueInfoProto;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka-facing CLI commands, run in-process against a real embedded broker. */
class CliITCase {
    private static EmbeddedKafka kafka;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    private int run(String... args) {
        return TesseraCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void runJobNamesTheMissingTopicsUnlessAskedToCreateThem() {
        int exit = run("run-job", "--bootstrap-servers", kafka.bootstrapServers(), "--set", "topic.input=cli.absent.in",
                "--set", "topic.results=cli.absent.results", "--set", "topic.metrics=cli.absent.metrics",
                "--set", "topic.dead-letters=cli.absent.dead");
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("missing topics on " + kafka.bootstrapServers()
                + ": cli.absent.in, cli.absent.results, cli.absent.metrics, cli.absent.dead");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void runJobCreatesTheMissingTopicsWhenAskedAndCompiles() throws Exception {
        kafka.createTopics(Map.of("cli.run.in", 1));
        SingleObjectCodec<ModelGraphEvent> codec = SingleObjectCodec.of(ModelGraphEvent.class);
        KafkaTestClient client = new KafkaTestClient(kafka.bootstrapServers());
        client.produce("cli.run.in", List.of(Map.entry("mlp",
                codec.encode(GraphMapper.event("mlp", "1", List.of("inferentia2"), Map.of(), Zoo.build("mlp"))))));

        int exit = run("run-job", "--bootstrap-servers", kafka.bootstrapServers(), "--create-topics", "--bounded",
                "--set", "topic.input=cli.run.in", "--set", "topic.results=cli.run.results", "--set", "topic.metrics=cli.run.metrics",
                "--set", "topic.dead-letters=cli.run.dead", "--set", "checkpoint.interval=300ms", "--set", "parallelism=1");

        assertThat(exit).as(err.toString()).isZero();
        assertThat(err.toString()).contains("created topics cli.run.results, cli.run.metrics, cli.run.dead");
        List<CompileResult> results = client.read("cli.run.results", CompileResult.class, Isolation.READ_COMMITTED, 1,
                Duration.ZERO, Duration.ofSeconds(30));
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.getModelName()).isEqualTo("mlp");
            assertThat(r.getStatus()).isEqualTo(CompileStatus.OK);
        });
    }

    @Test
    void runJobRejectsAnUnknownSettingAsBadUsage() {
        assertThat(run("run-job", "--bootstrap-servers", kafka.bootstrapServers(), "--set", "no.such=1")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown settings [no.such]");
    }

    @Test
    void submitPublishesAZooModelAsARegistryEvent() throws Exception {
        kafka.createTopics(Map.of("cli.submit.in", 1));
        int exit = run("submit", "conv-relu", "--bootstrap-servers", kafka.bootstrapServers(), "--topic", "cli.submit.in",
                "--model-version", "4", "--spec-profile", "inferentia1,inferentia2");
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("published conv-relu version 4 to cli.submit.in/0@0\n");

        List<ModelGraphEvent> events = new KafkaTestClient(kafka.bootstrapServers()).read("cli.submit.in",
                ModelGraphEvent.class, Isolation.READ_COMMITTED, 1, Duration.ZERO, Duration.ofSeconds(30));
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getModelName()).isEqualTo("conv-relu");
            assertThat(e.getModelVersion()).isEqualTo("4");
            assertThat(e.getSpecProfiles()).containsExactly("inferentia1", "inferentia2");
        });
    }

    @Test
    void submitImportsAnOnnxFileAndPublishesItsGraphWithTheWeightsUri(@TempDir Path dir) throws Exception {
        kafka.createTopics(Map.of("cli.submit.onnx", 1));
        // x [batch, 4] -> Relu -> y
        TypeProto.Tensor.Builder x = TypeProto.Tensor.newBuilder().setElemType(1).setShape(TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(4)));
        GraphProto graph = GraphProto.newBuilder().setName("tiny")
                .addInput(ValueInfoProto.newBuilder().setName("x").setType(TypeProto.newBuilder().setTensorType(x)))
                .addOutput(ValueInfoProto.newBuilder().setName("y")
                        .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(1))))
                .addNode(NodeProto.newBuilder().setOpType("Relu").setName("relu").addInput("x").addOutput("y"))
                .build();
        Path file = dir.resolve("tiny-relu.onnx");
        Files.write(file, ModelProto.newBuilder().setIrVersion(8).setProducerName("test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(graph).build().toByteArray());

        int exit = run("submit", file.toString(), "--bootstrap-servers", kafka.bootstrapServers(), "--topic", "cli.submit.onnx",
                "--dim", "batch=2");
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("published tiny-relu version 1 to cli.submit.onnx/0@0\n");

        List<ModelGraphEvent> events = new KafkaTestClient(kafka.bootstrapServers()).read("cli.submit.onnx",
                ModelGraphEvent.class, Isolation.READ_COMMITTED, 1, Duration.ZERO, Duration.ofSeconds(30));
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getModelName()).isEqualTo("tiny-relu");
            assertThat(e.getWeightsUri()).isEqualTo(file.toAbsolutePath().toUri().toString());
            assertThat(e.getRegistryMetadata()).containsEntry("source", "onnx").containsEntry("file", "tiny-relu.onnx");
            Graph g = GraphMapper.toGraph(e.getGraph());
            assertThat(g.nodes()).extracting(Node::opType).containsExactly("Relu");
            assertThat(g.tensors()).filteredOn(t -> t.name().equals("x")).singleElement()
                    .satisfies(t -> assertThat(t.shape()).containsExactly(2L, 4L));
        });
    }

    @Test
    void submitOfABrokenOnnxFileFailsSayingWhy(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("notes.onnx"), "not a model\n");
        assertThat(run("submit", file.toString(), "--bootstrap-servers", kafka.bootstrapServers())).isEqualTo(1);
        assertThat(err.toString()).startsWith("error: ").contains("notes.onnx");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void submitOfAnUnknownModelOrTopicFails() {
        assertThat(run("submit", "alexnet", "--bootstrap-servers", kafka.bootstrapServers())).isEqualTo(2);
        assertThat(err.toString()).contains("unknown zoo model 'alexnet' (and not an .onnx file); known: ");
        assertThat(run("submit", "mlp", "--bootstrap-servers", kafka.bootstrapServers(), "--topic", "cli.nowhere")).isEqualTo(1);
        assertThat(err.toString()).contains("topic cli.nowhere does not exist");
    }

    @Test
    void watchPrintsARowPerMetricsRecordAndStopsAtMaxRecords() throws Exception {
        kafka.createTopics(Map.of("cli.watch.metrics", 1));
        SingleObjectCodec<OptimizationMetrics> codec = SingleObjectCodec.of(OptimizationMetrics.class);
        OptimizationMetrics metrics = OptimizationMetrics.newBuilder().setModelName("resnet50").setModelVersion("2")
                .setSpecProfile("inferentia2").setCompilerVersion("c").setGraphSha256("h").setParameters(25_557_032L)
                .setMacs(4_089_184_256L).setActivationBytes(3_211_264L).setPeakActivationBytes(1024L).build();
        new KafkaTestClient(kafka.bootstrapServers()).produce("cli.watch.metrics",
                List.of(Map.entry("resnet50", codec.encode(metrics)), Map.entry("resnet50", codec.encode(metrics))));

        int exit = run("watch", "--bootstrap-servers", kafka.bootstrapServers(), "--topic", "cli.watch.metrics",
                "--from-beginning", "--max-records", "2", "--timeout", "60");

        assertThat(exit).as(err.toString()).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("MODEL").contains("PARAMS", "MACS", "PEAK ACT.");
        assertThat(lines.get(1)).contains("resnet50", "OK", "25.56 M", "4.09 G", "3.06 MiB", "1.00 KiB");
    }

    @Test
    void demoCompilesTheChosenModelsAndPrintsTheTable() {
        int exit = run("demo", "--models", "mlp,attention-block");
        assertThat(exit).as(err.toString()).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).startsWith("mlp ").contains(" OK ", "inferentia2");
        assertThat(lines.get(2)).startsWith("attention-block ").contains(" OK ");
        assertThat(err.toString()).contains("all 2 results committed");
    }
}
