package dev.tessera.cli;

import dev.tessera.jobs.CompileJob;
import dev.tessera.jobs.CompileJobConfig;
import dev.tessera.jobs.embedded.EmbeddedKafka;
import dev.tessera.operators.graph.zoo.Zoo;
import dev.tessera.schemas.Topics;
import dev.tessera.schemas.avro.CompileResult;
import dev.tessera.schemas.avro.CompileStatus;
import dev.tessera.schemas.avro.OptimizationMetrics;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tessera demo}, the embedded default: an in-process Kafka broker and a local Flink cluster,
 * the zoo published as registry events, the streaming compile job run until every model has a
 * committed result, then a table of the results on stdout. Progress goes to stderr.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Compile the model zoo on an embedded Kafka broker and a local Flink cluster, and print the results.")
final class DemoCommand implements Callable<Integer> {
    static final List<String> DEFAULT_MODELS = List.of("resnet50", "mobilenetv2", "inceptionv3", "vgg16", "bert-base");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--models", split = ",", paramLabel = "NAME",
            description = "zoo models to publish, comma-separated (default: ${DEFAULT-VALUE}; all: ${COMPLETION-CANDIDATES})",
            completionCandidates = SubmitCommand.ZooNames.class,
            defaultValue = "resnet50,mobilenetv2,inceptionv3,vgg16,bert-base")
    List<String> models;

    @Option(names = "--parallelism", paramLabel = "N", defaultValue = "2", description = "Flink parallelism (default: ${DEFAULT-VALUE})")
    int parallelism;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "110",
            description = "give up when the results are not all in after this long (default: ${DEFAULT-VALUE})")
    long timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        for (String model : models) {
            if (!Zoo.names().contains(model)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "unknown zoo model '" + model + "'; known: " + String.join(", ", Zoo.names()));
            }
        }
        if (parallelism < 1 || timeoutSeconds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--parallelism and --timeout must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            err.printf("tessera: [%4.1f s] Kafka broker at %s (in this process)%n", seconds(start), kafka.bootstrapServers());
            Map<String, Integer> topics = new LinkedHashMap<>();
            topics.put(Topics.MODEL_GRAPHS, parallelism);
            Topics.OUTPUTS.forEach(t -> topics.put(t, 1));
            kafka.createTopics(topics);

            try (EventPublisher publisher = new EventPublisher(kafka.bootstrapServers(), Topics.MODEL_GRAPHS)) {
                for (String model : models) {
                    publisher.publish(EventPublisher.zooEvent(model, model, "1", List.of("inferentia2")));
                }
            }
            err.printf("tessera: [%4.1f s] published %d registry events to %s%n", seconds(start), models.size(), Topics.MODEL_GRAPHS);

            CompileJobConfig config = CompileJobConfig.fromArgs("--bootstrap.servers", kafka.bootstrapServers(),
                    "--parallelism", Integer.toString(parallelism), "--checkpoint.interval", "500ms",
                    "--transactional.id.prefix", "tessera-demo-" + ProcessHandle.current().pid());
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, new Configuration());
            CompileJob.configure(env, config, false);
            JobClient job = env.executeAsync(CompileJob.NAME);
            err.printf("tessera: [%4.1f s] compile job %s running on a local Flink cluster%n", seconds(start), job.getJobID());
            try {
                Map<String, CompileResult> results = new LinkedHashMap<>();
                Map<String, OptimizationMetrics> metrics = new LinkedHashMap<>();
                if (!collect(kafka.bootstrapServers(), results, metrics, start, err)) {
                    TreeSet<String> missing = new TreeSet<>(models);
                    missing.removeAll(results.keySet());
                    err.printf("error: no result after %d s for: %s%n", timeoutSeconds, String.join(", ", missing));
                    return 1;
                }
                MetricsTable table = new MetricsTable(out);
                table.header();
                for (String model : models) {
                    table.row(results.get(model), metrics.get(model));
                }
                err.printf("tessera: [%4.1f s] all %d results committed%n", seconds(start), models.size());
            } finally {
                stop(job);
            }
        }
        err.printf("tessera: [%4.1f s] done%n", seconds(start));
        return 0;
    }

    /**
     * Cancels the job and waits until it has stopped, so that the broker outlives its clients. The
     * local cluster shuts itself down once its job ended; then it cannot be asked any more.
     */
    private static void stop(JobClient job) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        try {
            job.cancel().get();
            while (!job.getJobStatus().get().isGloballyTerminalState() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } catch (ExecutionException | IllegalStateException e) {
            // The cluster is gone (asking it throws, at once or through the future), and the job with it.
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    /** Reads committed results and metrics until every model has both (or a result without metrics when rejected). */
    private boolean collect(String servers, Map<String, CompileResult> results, Map<String, OptimizationMetrics> metrics,
            long start, PrintWriter err) {
        long deadline = start + Duration.ofSeconds(timeoutSeconds).toNanos();
        try (TopicReader<CompileResult> resultReader = new TopicReader<>(servers, Topics.COMPILE_RESULTS, CompileResult.class, true);
                TopicReader<OptimizationMetrics> metricReader = new TopicReader<>(servers, Topics.OPTIMIZATION_METRICS, OptimizationMetrics.class, true)) {
            while (System.nanoTime() < deadline) {
                resultReader.poll(Duration.ofMillis(100), r -> results.put(r.getModelName(), r), err);
                metricReader.poll(Duration.ofMillis(100), m -> metrics.put(m.getModelName(), m), err);
                if (complete(results, metrics)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean complete(Map<String, CompileResult> results, Map<String, OptimizationMetrics> metrics) {
        for (String model : models) {
            CompileResult result = results.get(model);
            if (result == null || (result.getStatus() == CompileStatus.OK && !metrics.containsKey(model))) {
                return false;
            }
        }
        return true;
    }
}
