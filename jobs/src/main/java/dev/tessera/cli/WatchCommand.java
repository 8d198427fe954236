package dev.tessera.cli;

import dev.tessera.jobs.kafka.KafkaIo;
import dev.tessera.schemas.Topics;
import dev.tessera.schemas.avro.OptimizationMetrics;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tessera watch}: follows the optimization-metrics topic and prints a table row per compiled
 * model version as it is committed. Stops after {@code --max-records} rows, after {@code --timeout},
 * or on Ctrl-C.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Follow the optimization-metrics topic as a live table (committed records only).")
final class WatchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT[,...]", description = "the Kafka cluster")
    String bootstrapServers;

    @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = Topics.OPTIMIZATION_METRICS,
            description = "metrics topic (default: ${DEFAULT-VALUE})")
    String topic;

    @Option(names = "--from-beginning", description = "start at the oldest record instead of the newest")
    boolean fromBeginning;

    @Option(names = "--max-records", paramLabel = "N", description = "stop after N rows")
    Integer maxRecords;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "stop after this many seconds")
    Long timeoutSeconds;

    @Override
    public Integer call() {
        if (maxRecords != null && maxRecords < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-records must be at least 1");
        }
        if (timeoutSeconds != null && timeoutSeconds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--timeout must be at least 1 second");
        }
        Topics.requireValidName(topic);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!KafkaIo.missingTopics(bootstrapServers, List.of(topic)).isEmpty()) {
            err.printf("error: topic %s does not exist on %s%n", topic, bootstrapServers);
            return 1;
        }
        MetricsTable table = new MetricsTable(out);
        long deadline = timeoutSeconds == null ? Long.MAX_VALUE : System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        int[] rows = {0};
        table.header();
        try (TopicReader<OptimizationMetrics> reader = new TopicReader<>(bootstrapServers, topic, OptimizationMetrics.class, fromBeginning)) {
            while (System.nanoTime() < deadline && (maxRecords == null || rows[0] < maxRecords)) {
                reader.poll(Duration.ofMillis(200), m -> {
                    if (maxRecords == null || rows[0] < maxRecords) {
                        table.row(m);
                        rows[0]++;
                    }
                }, err);
            }
        }
        return 0;
    }
}
