package dev.tessera.jobs.records;

import dev.tessera.schemas.avro.ModelGraphEvent;

/**
 * One compile to do: a decoded registry event for one of its spec profiles. Decoding fills
 * everything but {@code graphChanged}, which deduplication sets.
 *
 * <p>A Flink POJO whose event field is an Avro record (Flink's Avro serializer) and whose source is
 * an {@link Inbound}: no field falls back to Kryo.
 *
 * @param event        the decoded event
 * @param specProfile  the spec profile this compile targets (one of the event's)
 * @param graphSha256  {@code GraphHash.sha256} of the event's graph as received
 * @param decodeMicros time spent decoding and hashing the event
 * @param graphChanged true when this model version was compiled before with another graph
 * @param source       the Kafka record the event came from (for dead letters)
 */
public record CompileRequest(ModelGraphEvent event, String specProfile, String graphSha256, long decodeMicros,
        boolean graphChanged, Inbound source) {
    public String modelName() {
        return event.getModelName();
    }

    public String modelVersion() {
        return event.getModelVersion();
    }

    public CompileRequest withGraphChanged(boolean changed) {
        return new CompileRequest(event, specProfile, graphSha256, decodeMicros, changed, source);
    }
}
