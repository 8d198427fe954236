package dev.tessera.jobs.kafka;

import dev.tessera.schemas.SingleObjectCodec;
import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes an Avro record to one topic in single-object encoding, keyed by the model name (UTF-8;
 * no key when the model is unknown, as for a dead letter of undecodable bytes).
 */
public final class AvroRecordSerializer<T extends SpecificRecord> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final Class<T> type;
    private final SerializableFunction<T, String> modelName;
    private transient SingleObjectCodec<T> codec;

    public AvroRecordSerializer(String topic, Class<T> type, SerializableFunction<T, String> modelName) {
        this.topic = topic;
        this.type = type;
        this.modelName = modelName;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        codec = SingleObjectCodec.of(type);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T record, KafkaSinkContext context, Long timestamp) {
        String key = modelName.apply(record);
        return new ProducerRecord<>(topic, null, timestamp,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), codec.encode(record));
    }
}
