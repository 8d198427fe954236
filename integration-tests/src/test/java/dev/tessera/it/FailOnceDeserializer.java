package dev.tessera.it;

import dev.tessera.jobs.kafka.InboundDeserializer;
import dev.tessera.jobs.records.Inbound;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Fails the source task once, at the first record keyed {@code triggerKey}: it first holds the
 * source for a moment, so that the records before the trigger reach the sinks' open transactions
 * (and no checkpoint can complete meanwhile: the source cannot take part while it waits), then
 * throws. After the restart the trigger passes like any record.
 */
final class FailOnceDeserializer extends InboundDeserializer {
    private static final long serialVersionUID = 1L;
    /** The MiniCluster runs in the test's JVM, so the flag survives the task's restart. */
    static final AtomicBoolean FAILED = new AtomicBoolean();

    private final String triggerKey;
    private final long holdMillis;

    FailOnceDeserializer(String triggerKey, long holdMillis) {
        this.triggerKey = triggerKey;
        this.holdMillis = holdMillis;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Inbound> out) {
        boolean trigger = record.key() != null && triggerKey.equals(new String(record.key(), StandardCharsets.UTF_8));
        if (trigger && FAILED.compareAndSet(false, true)) {
            try {
                Thread.sleep(holdMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("injected failure at " + record.topic() + "/" + record.partition() + "@" + record.offset());
        }
        super.deserialize(record, out);
    }
}
