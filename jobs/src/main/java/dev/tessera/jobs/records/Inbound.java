package dev.tessera.jobs.records;

/**
 * One Kafka record as it was read, before anything is decoded: the source emits these, so that a
 * value that does not decode is still at hand, byte for byte, for its dead letter.
 *
 * <p>A Flink POJO (a record of primitives, strings and byte arrays): it crosses operator
 * boundaries with Flink's POJO serializer, not Kryo.
 *
 * @param key       the record key, or null
 * @param value     the record value, or null (a tombstone)
 */
public record Inbound(byte[] key, byte[] value, String topic, int partition, long offset) {
    /** Where the record came from, for logs and messages: {@code topic/partition@offset}. */
    public String position() {
        return topic + "/" + partition + "@" + offset;
    }
}
