package dev.tessera.schemas;

import dev.tessera.schemas.avro.DeadLetterReason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Reads and writes one record type in Avro single-object encoding, the wire format of every Tessera
 * topic (see {@code schemas/README.md}):
 *
 * <pre>
 *   C3 01 | fingerprint (8 bytes, little-endian CRC-64-AVRO of the writer schema's canonical form) | Avro binary body
 * </pre>
 *
 * <p>Writing always uses the current schema. Reading looks the fingerprint up among the current
 * schema and every {@linkplain ReleasedSchemas released} one and resolves the body from that writer
 * schema to the current reader schema, so old producers keep working after an upgrade. Every failure
 * is an {@link UndecodableRecordException} with a reason; nothing is kept between two calls (each
 * body is read by a fresh array-backed decoder), so a bad record cannot corrupt the next one.
 *
 * <p>Example: a {@code StageTime("decode", 5)} of the current schema encodes to
 * {@code C3 01 <8 fingerprint bytes> 0C 64 65 63 6F 64 65 0A} (string length 6 zig-zagged to 0C,
 * the six letters, then 5 zig-zagged to 0A).
 *
 * <p>Instances are not thread-safe; each Flink subtask builds its own.
 */
public final class SingleObjectCodec<T extends SpecificRecord> {
    /** The two marker bytes that open every single-object encoded value. */
    public static final byte MARKER_0 = (byte) 0xC3;
    public static final byte MARKER_1 = (byte) 0x01;
    /** Marker plus fingerprint. */
    public static final int HEADER_BYTES = 10;
    /** Default upper bound of one encoded value: 16 MiB, well under the Avro limits set on every JVM. */
    public static final int DEFAULT_MAX_BYTES = 16 << 20;

    private final Schema schema;
    private final long fingerprint;
    private final int maxBytes;
    private final SpecificDatumWriter<T> writer;
    private final Map<Long, SpecificDatumReader<T>> readers;

    private SingleObjectCodec(Class<T> type, int maxBytes) {
        if (maxBytes <= HEADER_BYTES) {
            throw new IllegalArgumentException("maxBytes must exceed the " + HEADER_BYTES + "-byte header, got " + maxBytes);
        }
        SpecificData data = SpecificData.getForClass(type);
        this.schema = data.getSchema(type);
        this.fingerprint = fingerprint(schema);
        this.maxBytes = maxBytes;
        this.writer = new SpecificDatumWriter<>(schema, data);
        Map<Long, SpecificDatumReader<T>> byFingerprint = new LinkedHashMap<>();
        byFingerprint.put(fingerprint, new SpecificDatumReader<>(schema, schema, data));
        for (Schema released : ReleasedSchemas.of(schema.getName())) {
            byFingerprint.putIfAbsent(fingerprint(released), new SpecificDatumReader<>(released, schema, data));
        }
        this.readers = Collections.unmodifiableMap(byFingerprint); // insertion order: messages list it
    }

    /** A codec for a generated record class, with the {@linkplain #DEFAULT_MAX_BYTES default size limit}. */
    public static <T extends SpecificRecord> SingleObjectCodec<T> of(Class<T> type) {
        return new SingleObjectCodec<>(type, DEFAULT_MAX_BYTES);
    }

    /** A codec that rejects values longer than {@code maxBytes} as {@code OVERSIZED} before reading them. */
    public static <T extends SpecificRecord> SingleObjectCodec<T> of(Class<T> type, int maxBytes) {
        return new SingleObjectCodec<>(type, maxBytes);
    }

    /** The CRC-64-AVRO fingerprint of a schema's parsing canonical form, as written in the header. */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    /** The fingerprint of the current schema of this codec's record type. */
    public long fingerprint() {
        return fingerprint;
    }

    /** Fingerprints this codec can read: the current schema and every released one. */
    public Set<Long> knownFingerprints() {
        return readers.keySet();
    }

    public byte[] encode(T record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(MARKER_0);
        out.write(MARKER_1);
        for (int i = 0; i < 8; i++) {
            out.write((int) (fingerprint >>> (8 * i)));
        }
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /**
     * Decodes one value.
     *
     * @throws UndecodableRecordException {@code EMPTY} (null or no bytes), {@code OVERSIZED} (over the
     *     limit), {@code BAD_HEADER} (no {@code C3 01} marker or shorter than the header),
     *     {@code UNKNOWN_SCHEMA} (a fingerprint this build does not know), {@code MALFORMED} (the body
     *     does not parse against its writer schema, or bytes follow the record)
     */
    public T decode(byte[] bytes) throws UndecodableRecordException {
        if (bytes == null || bytes.length == 0) {
            throw new UndecodableRecordException(DeadLetterReason.EMPTY, "the record has no value");
        }
        if (bytes.length > maxBytes) {
            throw new UndecodableRecordException(DeadLetterReason.OVERSIZED,
                    String.format("the value has %d bytes, over the limit of %d", bytes.length, maxBytes));
        }
        if (bytes.length < HEADER_BYTES || bytes[0] != MARKER_0 || bytes[1] != MARKER_1) {
            throw new UndecodableRecordException(DeadLetterReason.BAD_HEADER, String.format(
                    "not Avro single-object encoding: expected the marker C3 01 and an 8-byte fingerprint, got %s",
                    hexPrefix(bytes)));
        }
        long writerFingerprint = 0;
        for (int i = 0; i < 8; i++) {
            writerFingerprint |= (bytes[2 + i] & 0xFFL) << (8 * i);
        }
        SpecificDatumReader<T> reader = readers.get(writerFingerprint);
        if (reader == null) {
            throw new UndecodableRecordException(DeadLetterReason.UNKNOWN_SCHEMA, String.format(
                    "writer schema fingerprint %s is not a %s schema this build knows (known: %s)",
                    hex(writerFingerprint), schema.getName(),
                    readers.keySet().stream().map(SingleObjectCodec::hex).collect(Collectors.joining(", "))));
        }
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES, null);
        T record;
        try {
            record = reader.read(null, decoder);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException
                | IllegalArgumentException | ClassCastException e) {
            throw new UndecodableRecordException(DeadLetterReason.MALFORMED, String.format(
                    "the %s body does not parse: %s: %s", schema.getName(), e.getClass().getSimpleName(), e.getMessage()), e);
        }
        try {
            if (!decoder.isEnd()) {
                throw new UndecodableRecordException(DeadLetterReason.MALFORMED,
                        "bytes follow the end of the " + schema.getName() + " record");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading from memory cannot fail", e);
        }
        return record;
    }

    static String hex(long fingerprint) {
        StringBuilder sb = new StringBuilder(16);
        for (int i = 0; i < 8; i++) {
            sb.append(String.format("%02X", (fingerprint >>> (8 * i)) & 0xFF));
        }
        return sb.toString();
    }

    private static String hexPrefix(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        int n = Math.min(bytes.length, HEADER_BYTES);
        for (int i = 0; i < n; i++) {
            sb.append(String.format("%02X ", bytes[i] & 0xFF));
        }
        if (bytes.length > n) {
            sb.append("… (").append(bytes.length).append(" bytes)");
        } else {
            sb.append("(").append(bytes.length).append(" bytes)");
        }
        return sb.toString();
    }
}
