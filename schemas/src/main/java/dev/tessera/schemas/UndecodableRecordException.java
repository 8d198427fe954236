package dev.tessera.schemas;

import dev.tessera.schemas.avro.DeadLetterReason;
import java.util.Objects;

/**
 * A Kafka record value that is not a record of the expected type in this build's wire format. It is
 * the caller's input that is wrong, so the pipeline turns it into a dead letter with {@link #reason()}
 * and the message, and goes on with the next record.
 */
public final class UndecodableRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    private final DeadLetterReason reason;

    public UndecodableRecordException(DeadLetterReason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public UndecodableRecordException(DeadLetterReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** What kind of wrong: empty, oversized, bad header, unknown writer schema, malformed body. */
    public DeadLetterReason reason() {
        return reason;
    }
}
