package dev.tessera.cli;

import dev.tessera.jobs.serde.GraphMapper;
import dev.tessera.operators.graph.zoo.Zoo;
import dev.tessera.schemas.SingleObjectCodec;
import dev.tessera.schemas.avro.ModelGraphEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Publishes registry events the way a model registry would: keyed by model name, acknowledged by all replicas. */
final class EventPublisher implements AutoCloseable {
    private static final long SEND_TIMEOUT_MS = 20_000;

    private final KafkaProducer<byte[], byte[]> producer;
    private final SingleObjectCodec<ModelGraphEvent> codec = SingleObjectCodec.of(ModelGraphEvent.class);
    private final String topic;

    EventPublisher(String bootstrapServers, String topic) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
    }

    /** The registry event of a zoo model (metadata {@code source=zoo}). */
    static ModelGraphEvent zooEvent(String zooName, String modelName, String version, List<String> profiles) {
        return GraphMapper.event(modelName, version, profiles, Map.of("source", "zoo", "zoo-model", zooName), Zoo.build(zooName));
    }

    /** Sends one event and waits for the broker's acknowledgement. */
    RecordMetadata publish(ModelGraphEvent event) {
        byte[] key = event.getModelName().getBytes(StandardCharsets.UTF_8);
        try {
            return producer.send(new ProducerRecord<>(topic, key, codec.encode(event))).get(SEND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing " + event.getModelName(), e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("cannot publish " + event.getModelName() + " to " + topic + ": "
                    + cause.getClass().getSimpleName() + ": " + cause.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
