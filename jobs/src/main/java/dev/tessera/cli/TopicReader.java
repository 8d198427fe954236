package dev.tessera.cli;

import dev.tessera.schemas.SingleObjectCodec;
import dev.tessera.schemas.UndecodableRecordException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Follows one output topic as a {@code read_committed} consumer (only what the job committed) with a
 * throwaway group, decoding each value; a value that does not decode is reported on stderr and
 * skipped.
 */
final class TopicReader<T extends SpecificRecord> implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final SingleObjectCodec<T> codec;
    private final String topic;

    TopicReader(String bootstrapServers, String topic, Class<T> type, boolean fromBeginning) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "tessera-cli-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.codec = SingleObjectCodec.of(type);
        this.topic = topic;
        consumer.subscribe(List.of(topic));
    }

    /** Waits up to {@code timeout} for records and hands each decoded one to {@code sink}; returns how many. */
    int poll(Duration timeout, Consumer<T> sink, java.io.PrintWriter err) {
        int n = 0;
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout)) {
            try {
                sink.accept(codec.decode(record.value()));
                n++;
            } catch (UndecodableRecordException e) {
                err.printf("tessera: skipped %s/%d@%d: %s%n", topic, record.partition(), record.offset(), e.getMessage());
            }
        }
        return n;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
