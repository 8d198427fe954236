package dev.tessera.it;

import dev.tessera.schemas.SingleObjectCodec;
import dev.tessera.schemas.UndecodableRecordException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Plain Kafka clients for the tests: produce raw records, read a topic back decoded. */
final class KafkaTestClient {
    enum Isolation {
        READ_COMMITTED, READ_UNCOMMITTED;

        String config() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final String bootstrapServers;

    KafkaTestClient(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Sends the records in order (key, value) and waits until the broker has them all. */
    void produce(String topic, List<Map.Entry<String, byte[]>> records) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Map.Entry<String, byte[]> record : records) {
                producer.send(new ProducerRecord<>(topic, record.getKey().getBytes(StandardCharsets.UTF_8), record.getValue()));
            }
            producer.flush();
        }
    }

    /**
     * Reads {@code topic} from the beginning until at least {@code atLeast} records arrived and then
     * no more for {@code quiet}, or until {@code timeout}; returns what it read, decoded.
     */
    <T extends SpecificRecord> List<T> read(String topic, Class<T> type, Isolation isolation, int atLeast, Duration quiet,
            Duration timeout) throws UndecodableRecordException {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.config());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        SingleObjectCodec<T> codec = SingleObjectCodec.of(type);
        List<T> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastArrival = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    out.add(codec.decode(record.value()));
                    lastArrival = System.nanoTime();
                }
                if (out.size() >= atLeast && System.nanoTime() - lastArrival >= quiet.toNanos()) {
                    break;
                }
            }
        }
        return out;
    }
}
