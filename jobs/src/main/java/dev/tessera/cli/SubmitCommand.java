package dev.tessera.cli;

import dev.tessera.jobs.kafka.KafkaIo;
import dev.tessera.jobs.serde.GraphMapper;
import dev.tessera.operators.graph.zoo.Zoo;
import dev.tessera.operators.onnx.ImportedModel;
import dev.tessera.operators.onnx.OnnxImporter;
import dev.tessera.schemas.Topics;
import dev.tessera.schemas.avro.ModelGraphEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tessera submit <zoo model | model.onnx>}: publishes one registry event. An ONNX model is
 * imported here (shapes folded and inferred); the event carries its graph and the file's URI as the
 * weights URI, never the weights themselves.
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = {"Publish a registry event (a ModelGraphEvent) for a zoo model or an .onnx file to the model-graphs topic.",
            "An .onnx file is imported first (its graph goes in the event, its path as the weights URI)."})
final class SubmitCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "a zoo model (${COMPLETION-CANDIDATES}) or a path to an .onnx file",
            completionCandidates = ZooNames.class)
    String model;

    @CommandLine.Mixin
    ImportArguments importArguments;

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT[,...]", description = "the Kafka cluster")
    String bootstrapServers;

    @Option(names = "--model-name", paramLabel = "NAME", description = "name in the registry (default: the zoo name or the file name without .onnx)")
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
        boolean onnx = model.endsWith(".onnx");
        if (!onnx && !Zoo.names().contains(model)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "unknown zoo model '" + model + "' (and not an .onnx file); known: " + String.join(", ", Zoo.names()));
        }
        Topics.requireValidName(topic);
        ModelGraphEvent event;
        if (onnx) {
            Path file = Path.of(model);
            String fileName = file.getFileName().toString();
            String name = modelName == null ? fileName.substring(0, fileName.length() - ".onnx".length()) : modelName;
            ImportedModel imported = OnnxImporter.importGraph(file, importArguments.options(spec));
            event = GraphMapper.event(name, version, profiles, Map.of("source", "onnx", "file", fileName), imported.graph());
            event.setWeightsUri(file.toAbsolutePath().normalize().toUri().toString());
        } else {
            event = EventPublisher.zooEvent(model, modelName == null ? model : modelName, version, profiles);
        }
        String name = event.getModelName();
        if (!KafkaIo.missingTopics(bootstrapServers, List.of(topic)).isEmpty()) {
            spec.commandLine().getErr().printf("error: topic %s does not exist on %s%n", topic, bootstrapServers);
            return 1;
        }
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
