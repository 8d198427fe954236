package dev.tessera.jobs.kafka;

import dev.tessera.jobs.records.Inbound;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The Kafka ends of the compile job, with the settings exactly-once needs: sources read
 * {@code read_committed}; sinks write in transactions committed on checkpoints, each with its own
 * transactional-id prefix and a transaction timeout within the broker's default maximum (15 min).
 */
public final class KafkaIo {
    /** What the sinks ask for: long enough to survive a restart, below the broker's 15-minute cap. */
    public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private KafkaIo() {}

    /**
     * The registry-event source: committed offsets of {@code groupId}, else the earliest; unbounded
     * unless {@code bounded}, in which case it stops at the offsets that were latest at start.
     */
    public static KafkaSource<Inbound> source(String bootstrapServers, String topic, String groupId, boolean bounded) {
        return source(bootstrapServers, topic, groupId, bounded, new InboundDeserializer());
    }

    /** The same source with another record deserializer (tests use one that injects a failure). */
    @SuppressWarnings("deprecation") // OffsetResetStrategy is what this connector version takes
    public static KafkaSource<Inbound> source(String bootstrapServers, String topic, String groupId, boolean bounded,
            KafkaRecordDeserializationSchema<Inbound> deserializer) {
        var builder = KafkaSource.<Inbound>builder()
                .setBootstrapServers(bootstrapServers)
                .setTopics(topic)
                .setGroupId(groupId)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(deserializer)
                .setProperty("isolation.level", "read_committed");
        if (bounded) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    /**
     * An exactly-once sink of Avro records to one topic, keyed by model name.
     *
     * @param transactionalIdPrefix unique per job and sink: two writers with one prefix fence each other
     */
    public static <T extends SpecificRecord> KafkaSink<T> sink(String bootstrapServers, String topic, Class<T> type,
            SerializableFunction<T, String> modelName, String transactionalIdPrefix, Duration transactionTimeout) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(bootstrapServers)
                .setRecordSerializer(new AvroRecordSerializer<>(topic, type, modelName))
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .setProperty("transaction.timeout.ms", Long.toString(transactionTimeout.toMillis()))
                .build();
    }

    /** The topics of {@code wanted} that do not exist on the cluster, in the order given. */
    public static List<String> missingTopics(String bootstrapServers, List<String> wanted) {
        try (Admin admin = admin(bootstrapServers)) {
            Set<String> existing = new TreeSet<>(admin.listTopics().names().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            List<String> missing = new ArrayList<>();
            for (String topic : wanted) {
                if (!existing.contains(topic)) {
                    missing.add(topic);
                }
            }
            return missing;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list the topics of " + bootstrapServers + ": " + rootMessage(e), e);
        }
    }

    /** Creates topics (name → partitions) with the given replication factor. */
    public static void createTopics(String bootstrapServers, Map<String, Integer> partitionsByTopic, short replicationFactor) {
        try (Admin admin = admin(bootstrapServers)) {
            List<NewTopic> topics = partitionsByTopic.entrySet().stream()
                    .map(e -> new NewTopic(e.getKey(), e.getValue(), replicationFactor))
                    .toList();
            admin.createTopics(topics).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topics " + partitionsByTopic.keySet() + " on " + bootstrapServers
                    + ": " + rootMessage(e), e);
        }
    }

    private static Admin admin(String bootstrapServers) {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
