package dev.tessera.schemas;

import java.util.List;

/**
 * The Kafka topics of the compile pipeline (DESIGN §7). Every record is keyed by model name; every
 * value is Avro in single-object encoding (see {@code schemas/README.md}).
 */
public final class Topics {
    /** Registry events in: {@code ModelGraphEvent}. */
    public static final String MODEL_GRAPHS = "tessera.model-graphs";
    /** One {@code CompileResult} per compiled (or rejected) model version. */
    public static final String COMPILE_RESULTS = "tessera.compile-results";
    /** One {@code OptimizationMetrics} per successfully compiled model version. */
    public static final String OPTIMIZATION_METRICS = "tessera.optimization-metrics";
    /** Undecodable, invalid or failed inputs with the reason: {@code DeadLetter}. */
    public static final String DEAD_LETTERS = "tessera.dead-letters";

    /** All topics, input first, in a fixed order. */
    public static final List<String> ALL =
            List.of(MODEL_GRAPHS, COMPILE_RESULTS, OPTIMIZATION_METRICS, DEAD_LETTERS);

    /** The output topics, in a fixed order. */
    public static final List<String> OUTPUTS = List.of(COMPILE_RESULTS, OPTIMIZATION_METRICS, DEAD_LETTERS);

    private Topics() {}

    /**
     * Checks that a name is a legal Kafka topic name (1–249 characters of {@code [a-zA-Z0-9._-]},
     * not {@code .} or {@code ..}), so configuration mistakes fail before a broker is contacted.
     *
     * @throws IllegalArgumentException naming the topic and what is wrong with it
     */
    public static String requireValidName(String topic) {
        if (topic == null || topic.isEmpty()) {
            throw new IllegalArgumentException("topic name is empty");
        }
        if (topic.length() > 249) {
            throw new IllegalArgumentException("topic name '" + topic + "' is longer than 249 characters");
        }
        if (topic.equals(".") || topic.equals("..")) {
            throw new IllegalArgumentException("topic name '" + topic + "' is reserved");
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                throw new IllegalArgumentException(
                        "topic name '" + topic + "' contains '" + c + "' at " + i + "; allowed: a-z A-Z 0-9 . _ -");
            }
        }
        return topic;
    }
}
