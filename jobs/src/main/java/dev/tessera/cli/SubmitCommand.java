package dev.tessera.cli;

import dev.tessera.operators.graph.zoo.Zoo;
import dev.tessera.jobs.kafka.KafkaIo;
import dev.tessera.schemas.Topics;
import dev.tessera.schemas.avro.ModelGraphEvent;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tessera submit <zoo model>}: publishes one registry event for a zoo model. */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Publish a registry event (a ModelGraphEvent) for a zoo model to the model-graphs topic.")
final class SubmitCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "a zoo model: ${COMPLETION-CANDIDATES}", completionCandidates = ZooNames.class)
    String zooName;

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT[,...]", description = "the Kafka cluster")
    String bootstrapServers;

    @Option(names = "--model-name", paramLabel = "NAME", description = "name in the registry (default: the zoo name)")
    String modelName;

    @Option(names = "--model-version", paramLabel = "VERSION", defaultValue = "1", description = "version string (default: ${DEFAULT-VALUE})")
    String version;

    @Option(names = "--spec-profile", paramLabel = "PROFILE", split = ",", defaultValue = "inferentia2",
            description = "target spec profile(s), comma-separated (default: ${DEFAULT-VALUE})")
    List<String> profiles;

    @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = Topics.MODEL_GRAPHS, description = "input topic (default: ${DEFAULT-VALUE})")
    String topic;

    @Override
    public Integer call() {
        if (!Zoo.names().contains(zooName)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "unknown zoo model '" + zooName + "'; known: " + String.join(", ", Zoo.names()));
        }
        Topics.requireValidName(topic);
        if (!KafkaIo.missingTopics(bootstrapServers, List.of(topic)).isEmpty()) {
            spec.commandLine().getErr().printf("error: topic %s does not exist on %s%n", topic, bootstrapServers);
            return 1;
        }
        String name = modelName == null ? zooName : modelName;
        ModelGraphEvent event = EventPublisher.zooEvent(zooName, name, version, profiles);
        try (EventPublisher publisher = new EventPublisher(bootstrapServers, topic)) {
            RecordMetadata at = publisher.publish(event);
            spec.commandLine().getOut().printf("published %s version %s to %s/%d@%d%n", name, version, at.topic(), at.partition(), at.offset());
        }
        return 0;
    }

    /** The zoo's model names, for the help text. */
    static final class ZooNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Zoo.names().iterator();
        }
    }
}
