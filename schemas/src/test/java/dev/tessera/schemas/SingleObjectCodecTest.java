package dev.tessera.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.schemas.avro.CompileResult;
import dev.tessera.schemas.avro.CompileStatus;
import dev.tessera.schemas.avro.DataType;
import dev.tessera.schemas.avro.DeadLetterReason;
import dev.tessera.schemas.avro.GraphDef;
import dev.tessera.schemas.avro.Int64List;
import dev.tessera.schemas.avro.ModelGraphEvent;
import dev.tessera.schemas.avro.NodeDef;
import dev.tessera.schemas.avro.StageTime;
import dev.tessera.schemas.avro.TensorDef;
import dev.tessera.schemas.avro.TensorRole;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;

class SingleObjectCodecTest {
    private final SingleObjectCodec<ModelGraphEvent> codec = SingleObjectCodec.of(ModelGraphEvent.class);

    static ModelGraphEvent event(String model) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("axis", 1L);
        attributes.put("perm", new Int64List(List.of(0L, 2L, 1L)));
        TensorDef x = new TensorDef("x", List.of(1L, 4L), DataType.FLOAT32, TensorRole.INPUT);
        TensorDef y = new TensorDef("y", null, DataType.FLOAT32, TensorRole.OUTPUT);
        NodeDef relu = new NodeDef("relu", "Relu", List.of("x"), List.of("y"), attributes);
        return ModelGraphEvent.newBuilder()
                .setModelName(model)
                .setModelVersion("3")
                .setRegistryMetadata(Map.of("owner", "vision"))
                .setSpecProfiles(List.of("inferentia2"))
                .setGraph(new GraphDef(model, List.of(x, y), List.of(relu)))
                .setWeightsUri(null)
                .build();
    }

    @Test
    void roundTripsARecordAndWritesTheSingleObjectHeader() throws Exception {
        byte[] bytes = codec.encode(event("mlp"));
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        long fingerprint = 0;
        for (int i = 0; i < 8; i++) {
            fingerprint |= (bytes[2 + i] & 0xFFL) << (8 * i);
        }
        assertThat(fingerprint).isEqualTo(SingleObjectCodec.fingerprint(ModelGraphEvent.getClassSchema()));
        assertThat(codec.decode(bytes)).isEqualTo(event("mlp"));
    }

    @Test
    void isByteCompatibleWithAvrosOwnSingleObjectEncoder() throws Exception {
        byte[] ours = codec.encode(event("mlp"));
        byte[] avros = event("mlp").toByteBuffer().array();
        assertThat(ours).isEqualTo(avros);
    }

    @Test
    void theJavadocExampleIsWhatIsWritten() {
        byte[] bytes = SingleObjectCodec.of(StageTime.class).encode(new StageTime("decode", 5L));
        assertThat(Arrays.copyOfRange(bytes, 10, bytes.length))
                .containsExactly(0x0C, 'd', 'e', 'c', 'o', 'd', 'e', 0x0A);
    }

    @Test
    void emptyValuesAreRejected() {
        assertReason(null, DeadLetterReason.EMPTY, "no value");
        assertReason(new byte[0], DeadLetterReason.EMPTY, "no value");
    }

    @Test
    void valuesOverTheLimitAreRejectedBeforeReading() {
        SingleObjectCodec<ModelGraphEvent> small = SingleObjectCodec.of(ModelGraphEvent.class, 64);
        byte[] bytes = codec.encode(event("a-model-with-a-long-name-to-pass-sixty-four-bytes"));
        assertThatThrownBy(() -> small.decode(bytes))
                .isInstanceOfSatisfying(UndecodableRecordException.class, e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.OVERSIZED))
                .hasMessageContaining("over the limit of 64");
    }

    @Test
    void plainAvroBinaryWithoutTheHeaderIsABadHeader() {
        assertReason(new byte[] {0x06, 'm', 'l', 'p'}, DeadLetterReason.BAD_HEADER, "expected the marker C3 01");
        assertReason("{\"json\": true}".getBytes(), DeadLetterReason.BAD_HEADER, "7B 22 6A");
    }

    @Test
    void anUnknownFingerprintNamesItAndTheKnownOnes() {
        byte[] bytes = codec.encode(event("mlp"));
        bytes[5] ^= 0x5A;
        assertReason(bytes, DeadLetterReason.UNKNOWN_SCHEMA, "is not a ModelGraphEvent schema this build knows (known: ");
    }

    @Test
    void anotherRecordTypeIsAnUnknownSchema() {
        byte[] result = SingleObjectCodec.of(CompileResult.class).encode(CompileResult.newBuilder()
                .setModelName("m").setModelVersion("1").setSpecProfile("p").setStatus(CompileStatus.OK)
                .setCompilerVersion("c").setGraphSha256("h").build());
        assertReason(result, DeadLetterReason.UNKNOWN_SCHEMA, "fingerprint");
    }

    @Test
    void aTruncatedBodyIsMalformed() {
        byte[] bytes = codec.encode(event("mlp"));
        assertReason(Arrays.copyOf(bytes, bytes.length - 5), DeadLetterReason.MALFORMED, "does not parse");
    }

    @Test
    void aHugeLengthPrefixFailsFastInsteadOfAllocating() {
        byte[] bytes = codec.encode(event("mlp"));
        byte[] huge = Arrays.copyOf(bytes, 16);
        // The model name's length, zig-zag varint of 2^30: the Avro limits (set on every JVM) refuse it.
        huge[10] = (byte) 0x80; huge[11] = (byte) 0x80; huge[12] = (byte) 0x80; huge[13] = (byte) 0x80; huge[14] = 0x08;
        assertReason(huge, DeadLetterReason.MALFORMED, "does not parse");
    }

    @Test
    void trailingBytesAreMalformed() {
        byte[] bytes = codec.encode(event("mlp"));
        assertReason(Arrays.copyOf(bytes, bytes.length + 3), DeadLetterReason.MALFORMED, "bytes follow the end");
    }

    @Test
    void aBadRecordDoesNotCorruptTheNextOne() throws Exception {
        byte[] good = codec.encode(event("mlp"));
        byte[] truncated = Arrays.copyOf(good, good.length - 7);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> codec.decode(truncated)).isInstanceOf(UndecodableRecordException.class);
            assertThat(codec.decode(good)).isEqualTo(event("mlp"));
        }
    }

    @Test
    void dataWrittenWithAnOlderCompatibleSchemaIsResolvedWhenThatSchemaIsReleased() throws Exception {
        // An older StageTime without 'micros' would not be readable (no default): the resolver refuses
        // writer schemas it cannot resolve, and only released ones are known at all.
        Schema unknown = SchemaBuilder.record("StageTime").namespace("dev.tessera.schemas.avro").fields()
                .requiredString("stage").requiredLong("micros").requiredInt("extra").endRecord();
        GenericData.Record record = new GenericData.Record(unknown);
        record.put("stage", "plan");
        record.put("micros", 3L);
        record.put("extra", 1);
        byte[] bytes = WireTestSupport.writeSingleObject(unknown, record);
        assertThatThrownBy(() -> SingleObjectCodec.of(StageTime.class).decode(bytes))
                .isInstanceOfSatisfying(UndecodableRecordException.class, e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA));
    }

    private void assertReason(byte[] bytes, DeadLetterReason reason, String messagePart) {
        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOfSatisfying(UndecodableRecordException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(messagePart);
    }
}
