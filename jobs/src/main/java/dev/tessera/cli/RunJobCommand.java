package dev.tessera.cli;

import dev.tessera.jobs.CompileJob;
import dev.tessera.jobs.CompileJobConfig;
import dev.tessera.jobs.kafka.KafkaIo;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tessera run-job}: runs the streaming compile job in a local Flink cluster in this process
 * against an external Kafka, until stopped. Before starting, it checks that the four topics exist
 * and names the missing ones, or creates them with {@code --create-topics}.
 */
@Command(name = "run-job", mixinStandardHelpOptions = true,
        description = "Run the streaming compile job (local Flink) against an external Kafka until stopped.")
final class RunJobCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT[,...]", description = "the Kafka cluster")
    String bootstrapServers;

    @Option(names = "--create-topics", description = "create the topics that do not exist instead of failing")
    boolean createTopics;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "4",
            description = "partitions of a created input topic (outputs get 1 per 2 of these, at least 1; default: ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--replication-factor", paramLabel = "N", defaultValue = "1", description = "of created topics (default: ${DEFAULT-VALUE})")
    short replicationFactor;

    @Option(names = "--properties", paramLabel = "FILE", description = "job settings (keys of CompileJobConfig, e.g. dedup.ttl=7d)")
    String properties;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "one job setting, e.g. --set checkpoint.interval=5s (repeatable; wins over --properties)")
    Map<String, String> settings = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        if (partitions < 1 || replicationFactor < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--partitions and --replication-factor must be at least 1");
        }
        CompileJobConfig config = config();
        PrintWriter err = spec.commandLine().getErr();
        List<String> topics = new ArrayList<>();
        topics.add(config.inputTopic());
        topics.addAll(config.outputTopics());
        List<String> missing = KafkaIo.missingTopics(bootstrapServers, topics);
        if (!missing.isEmpty() && !createTopics) {
            err.printf("error: missing topics on %s: %s (create them, or pass --create-topics)%n", bootstrapServers, String.join(", ", missing));
            return 1;
        }
        if (!missing.isEmpty()) {
            Map<String, Integer> create = new LinkedHashMap<>();
            for (String topic : missing) {
                create.put(topic, topic.equals(config.inputTopic()) ? partitions : Math.max(1, partitions / 2));
            }
            KafkaIo.createTopics(bootstrapServers, create, replicationFactor);
            err.printf("tessera: created topics %s%n", String.join(", ", missing));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        CompileJob.configure(env, config, false);
        err.printf("tessera: running %s against %s (reading %s); stop with Ctrl-C%n", CompileJob.NAME, bootstrapServers, config.inputTopic());
        env.execute(CompileJob.NAME);
        return 0;
    }

    private CompileJobConfig config() {
        List<String> args = new ArrayList<>(List.of("--bootstrap.servers", bootstrapServers));
        if (properties != null) {
            args.addAll(List.of("--properties", properties));
        }
        settings.forEach((k, v) -> args.addAll(List.of("--" + k, v)));
        try {
            return CompileJobConfig.fromArgs(args.toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
