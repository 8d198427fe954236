package dev.tessera.jobs.functions;

import dev.tessera.jobs.records.Inbound;
import dev.tessera.schemas.avro.DeadLetter;
import dev.tessera.schemas.avro.DeadLetterReason;
import java.nio.ByteBuffer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;

/** Builds {@link DeadLetter}s and names the side output they travel on. */
public final class DeadLetters {
    /** The side output of every stage that gives up on a record. */
    public static final OutputTag<DeadLetter> TAG = new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

    private DeadLetters() {}

    /**
     * A dead letter for a record, carrying its original key and value; {@code modelName} and
     * {@code modelVersion} may be null when the record did not decode.
     */
    public static DeadLetter of(Inbound source, String stage, DeadLetterReason reason, Throwable error,
            String modelName, String modelVersion, boolean internal) {
        String message = error.getMessage();
        return DeadLetter.newBuilder()
                .setOriginalKey(source.key() == null ? null : ByteBuffer.wrap(source.key()))
                .setOriginalValue(source.value() == null ? null : ByteBuffer.wrap(source.value()))
                .setTopic(source.topic())
                .setPartition(source.partition())
                .setOffset(source.offset())
                .setModelName(modelName)
                .setModelVersion(modelVersion)
                .setStage(stage)
                .setReason(reason)
                .setErrorClass(error.getClass().getName())
                .setMessage(message == null ? error.getClass().getSimpleName() : message)
                .setInternal(internal)
                .build();
    }
}
