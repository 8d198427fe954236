package dev.tessera.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.schemas.avro.CompileResult;
import dev.tessera.schemas.avro.DeadLetter;
import dev.tessera.schemas.avro.ModelGraphEvent;
import dev.tessera.schemas.avro.OptimizationMetrics;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A released schema is frozen: its fingerprint is on the wire of every record written with it, so
 * editing the file would strand that data. These fingerprints were recorded when v1 shipped.
 */
class ReleasedSchemasTest {
    private static final Map<String, String> V1_FINGERPRINTS = new LinkedHashMap<>();

    static {
        V1_FINGERPRINTS.put("ModelGraphEvent", "55B96EA5A419671F");
        V1_FINGERPRINTS.put("CompileResult", "A1E31D18EA48918F");
        V1_FINGERPRINTS.put("OptimizationMetrics", "F9EC6BF78A96B640");
        V1_FINGERPRINTS.put("DeadLetter", "2B667A5E6881289C");
    }

    @Test
    void releasedV1SchemasAreUnchanged() {
        V1_FINGERPRINTS.forEach((name, fingerprint) ->
                assertThat(SingleObjectCodec.hex(SingleObjectCodec.fingerprint(ReleasedSchemas.load("v1", name))))
                        .as(name).isEqualTo(fingerprint));
    }

    @Test
    void everyCurrentSchemaIsKnownToItsCodec() {
        assertThat(SingleObjectCodec.of(ModelGraphEvent.class).knownFingerprints()).isNotEmpty();
        for (Class<? extends org.apache.avro.specific.SpecificRecord> type
                : java.util.List.of(ModelGraphEvent.class, CompileResult.class, OptimizationMetrics.class, DeadLetter.class)) {
            SingleObjectCodec<?> codec = SingleObjectCodec.of(type);
            assertThat(codec.knownFingerprints()).contains(codec.fingerprint());
            assertThat(ReleasedSchemas.of(type.getSimpleName())).as("released versions of %s", type.getSimpleName()).isNotEmpty();
        }
    }

    @Test
    void aRecordNoVersionHadIsAbsent() {
        assertThat(ReleasedSchemas.load("v1", "NoSuchRecord")).isNull();
        assertThat(ReleasedSchemas.of("NoSuchRecord")).isEmpty();
    }
}
