package dev.tessera.jobs;

import dev.tessera.operators.CompilerVersion;
import dev.tessera.operators.graph.GraphLimits;
import dev.tessera.schemas.SingleObjectCodec;
import dev.tessera.schemas.Topics;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The settings of {@link CompileJob}. Read from {@code --name value} arguments and, optionally, a
 * properties file named by {@code --properties FILE} (arguments win). Keys and defaults:
 *
 * <pre>
 * bootstrap.servers               (required)
 * topic.input                     tessera.model-graphs
 * topic.results                   tessera.compile-results
 * topic.metrics                   tessera.optimization-metrics
 * topic.dead-letters              tessera.dead-letters
 * group.id                        tessera-compile
 * transactional.id.prefix         tessera-compile   (one per running job: two jobs with one prefix fence each other)
 * transaction.timeout             2m                (at most the broker's transaction.max.timeout.ms, 15m by default)
 * parallelism                     the environment's default
 * checkpoint.interval             10s               (results become visible to read_committed consumers at checkpoints)
 * dedup.ttl                       7d
 * max.event.bytes                 16777216
 * limits.max-nodes                20000
 * limits.max-tensor-elements      2147483648
 * limits.max-rank                 8
 * limits.max-total-bytes          17179869184
 * </pre>
 * Durations are a number with a unit: {@code ms}, {@code s}, {@code m}, {@code h} or {@code d}.
 */
public record CompileJobConfig(String bootstrapServers, String inputTopic, String resultsTopic, String metricsTopic,
        String deadLettersTopic, String groupId, String transactionalIdPrefix, Duration transactionTimeout,
        Integer parallelism, Duration checkpointInterval, WorkflowOptions workflow) {

    private static final Set<String> KEYS = Set.of("bootstrap.servers", "topic.input", "topic.results", "topic.metrics",
            "topic.dead-letters", "group.id", "transactional.id.prefix", "transaction.timeout", "parallelism",
            "checkpoint.interval", "dedup.ttl", "max.event.bytes", "limits.max-nodes", "limits.max-tensor-elements",
            "limits.max-rank", "limits.max-total-bytes");

    public CompileJobConfig {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrap.servers is required (e.g. --bootstrap.servers kafka:9092)");
        }
        Topics.requireValidName(inputTopic);
        Topics.requireValidName(resultsTopic);
        Topics.requireValidName(metricsTopic);
        Topics.requireValidName(deadLettersTopic);
        if (parallelism != null && parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        if (checkpointInterval.toMillis() < 10) {
            throw new IllegalArgumentException("checkpoint.interval must be at least 10ms, got " + checkpointInterval.toMillis() + "ms");
        }
        if (transactionTimeout.compareTo(checkpointInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("transaction.timeout (" + transactionTimeout.toMillis()
                    + "ms) must be at least twice checkpoint.interval (" + checkpointInterval.toMillis()
                    + "ms): a transaction stays open from one checkpoint to the next");
        }
    }

    /** The defaults above for a cluster at {@code bootstrapServers}. */
    public static CompileJobConfig defaults(String bootstrapServers) {
        return fromMap(Map.of("bootstrap.servers", bootstrapServers));
    }

    /** The output topics in a fixed order: results, metrics, dead letters. */
    public List<String> outputTopics() {
        return List.of(resultsTopic, metricsTopic, deadLettersTopic);
    }

    public CompileJobConfig withTransactionalIdPrefix(String prefix) {
        return new CompileJobConfig(bootstrapServers, inputTopic, resultsTopic, metricsTopic, deadLettersTopic, groupId,
                prefix, transactionTimeout, parallelism, checkpointInterval, workflow);
    }

    public CompileJobConfig withCheckpointInterval(Duration interval) {
        return new CompileJobConfig(bootstrapServers, inputTopic, resultsTopic, metricsTopic, deadLettersTopic, groupId,
                transactionalIdPrefix, transactionTimeout, parallelism, interval, workflow);
    }

    public CompileJobConfig withGroupId(String group) {
        return new CompileJobConfig(bootstrapServers, inputTopic, resultsTopic, metricsTopic, deadLettersTopic, group,
                transactionalIdPrefix, transactionTimeout, parallelism, checkpointInterval, workflow);
    }

    /** Parses {@code --key value} pairs (and {@code --properties FILE}); names the unknown or malformed ones. */
    public static CompileJobConfig fromArgs(String... args) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> fromArgs = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got '" + arg + "'"
                        + (arg.startsWith("--") ? " without a value" : ""));
            }
            fromArgs.put(arg.substring(2), args[++i]);
        }
        String file = fromArgs.remove("properties");
        if (file != null) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(Path.of(file))) {
                properties.load(reader);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read properties file " + file + ": " + e.getMessage(), e);
            }
            for (String name : new TreeSet<>(properties.stringPropertyNames())) {
                values.put(name, properties.getProperty(name).trim());
            }
        }
        values.putAll(fromArgs);
        return fromMap(values);
    }

    static CompileJobConfig fromMap(Map<String, String> values) {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown settings " + unknown + "; known: " + new TreeSet<>(KEYS));
        }
        GraphLimits d = GraphLimits.DEFAULTS;
        GraphLimits limits = new GraphLimits(
                intNumber(values, "limits.max-nodes", d.maxNodes()),
                number(values, "limits.max-tensor-elements", d.maxTensorElements()),
                intNumber(values, "limits.max-rank", d.maxRank()),
                number(values, "limits.max-total-bytes", d.maxTotalBytes()));
        WorkflowOptions workflow = new WorkflowOptions(
                duration(values, "dedup.ttl", WorkflowOptions.DEFAULT_DEDUP_TTL),
                intNumber(values, "max.event.bytes", SingleObjectCodec.DEFAULT_MAX_BYTES),
                limits, CompilerVersion.get());
        String parallelism = values.get("parallelism");
        return new CompileJobConfig(
                values.get("bootstrap.servers"),
                values.getOrDefault("topic.input", Topics.MODEL_GRAPHS),
                values.getOrDefault("topic.results", Topics.COMPILE_RESULTS),
                values.getOrDefault("topic.metrics", Topics.OPTIMIZATION_METRICS),
                values.getOrDefault("topic.dead-letters", Topics.DEAD_LETTERS),
                values.getOrDefault("group.id", "tessera-compile"),
                values.getOrDefault("transactional.id.prefix", "tessera-compile"),
                duration(values, "transaction.timeout", Duration.ofMinutes(2)),
                parallelism == null ? null : intNumber(values, "parallelism", 1),
                duration(values, "checkpoint.interval", Duration.ofSeconds(10)),
                workflow);
    }

    private static long number(Map<String, String> values, String key, long fallback) {
        String text = values.get(key);
        if (text == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(text.trim().replace("_", ""));
            if (n <= 0) {
                throw new IllegalArgumentException(key + " must be positive, got " + text);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a positive whole number, got '" + text + "'", e);
        }
    }

    private static int intNumber(Map<String, String> values, String key, int fallback) {
        long n = number(values, key, fallback);
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + " must be at most " + Integer.MAX_VALUE + ", got " + n);
        }
        return (int) n;
    }

    /** Parses {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 7d}. */
    static Duration parseDuration(String key, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        int split = 0;
        while (split < t.length() && Character.isDigit(t.charAt(split))) {
            split++;
        }
        if (split == 0 || split == t.length()) {
            throw new IllegalArgumentException(key + " must be a number with a unit (ms, s, m, h, d), got '" + text + "'");
        }
        long n = Long.parseLong(t.substring(0, split));
        return switch (t.substring(split)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> throw new IllegalArgumentException(key + " has unit '" + t.substring(split)
                    + "'; expected ms, s, m, h or d");
        };
    }

    private static Duration duration(Map<String, String> values, String key, Duration fallback) {
        String text = values.get(key);
        return text == null ? fallback : parseDuration(key, text);
    }
}
