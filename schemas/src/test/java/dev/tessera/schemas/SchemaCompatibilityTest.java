package dev.tessera.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.schemas.avro.CompileResult;
import dev.tessera.schemas.avro.DeadLetter;
import dev.tessera.schemas.avro.ModelGraphEvent;
import dev.tessera.schemas.avro.OptimizationMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The current schemas read data written with every released version of every topic's record. */
class SchemaCompatibilityTest {
    private static final List<Class<? extends SpecificRecordBase>> RECORDS =
            List.of(ModelGraphEvent.class, CompileResult.class, OptimizationMetrics.class, DeadLetter.class);

    static Stream<Arguments> releasedWriters() {
        List<Arguments> cases = new ArrayList<>();
        for (Class<? extends SpecificRecordBase> type : RECORDS) {
            for (String version : ReleasedSchemas.VERSIONS) {
                Schema writer = ReleasedSchemas.load(version, type.getSimpleName());
                if (writer != null) {
                    cases.add(Arguments.of(type.getSimpleName() + " " + version, type, writer));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releasedWriters")
    void currentSchemaCanReadTheReleasedWriterSchema(String label, Class<? extends SpecificRecordBase> type, Schema writer) {
        Schema reader = SpecificRecordSchemas.of(type);
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        assertThat(result.getType())
                .as("%s: %s", label, result.getDescription())
                .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releasedWriters")
    void currentCodecDecodesDataWrittenWithTheReleasedSchema(String label, Class<? extends SpecificRecordBase> type, Schema writer)
            throws Exception {
        SingleObjectCodec<? extends SpecificRecord> codec = SingleObjectCodec.of(type);
        // Seeds 0..5 take every branch of the widest union (the six attribute value kinds).
        for (int seed = 0; seed < 6; seed++) {
            GenericData.Record written = (GenericData.Record) SampleData.of(writer, seed);
            SpecificRecord read = codec.decode(WireTestSupport.writeSingleObject(writer, written));
            for (Schema.Field field : writer.getFields()) {
                Schema.Field current = read.getSchema().getField(field.name());
                if (current != null) {
                    assertThat(normalized(read.get(current.pos())))
                            .as("%s seed %d field %s", label, seed, field.name())
                            .isEqualTo(normalized(written.get(field.pos())));
                }
            }
        }
    }

    /**
     * Generic and specific data in one comparable form: records as field maps, maps sorted by key,
     * strings, enum symbols and {@code Utf8} as {@code String}, bytes as a list.
     */
    static Object normalized(Object datum) {
        if (datum instanceof org.apache.avro.generic.IndexedRecord record) {
            Map<String, Object> fields = new LinkedHashMap<>();
            for (Schema.Field f : record.getSchema().getFields()) {
                fields.put(f.name(), normalized(record.get(f.pos())));
            }
            return fields;
        }
        if (datum instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(k.toString(), normalized(v)));
            return sorted;
        }
        if (datum instanceof List<?> list) {
            return list.stream().map(SchemaCompatibilityTest::normalized).toList();
        }
        if (datum instanceof java.nio.ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return java.util.Arrays.toString(bytes);
        }
        if (datum instanceof CharSequence || datum instanceof Enum<?> || datum instanceof GenericData.EnumSymbol) {
            return datum.toString();
        }
        return datum;
    }

    /** The schema a generated class was compiled from. */
    static final class SpecificRecordSchemas {
        private SpecificRecordSchemas() {}

        static Schema of(Class<? extends SpecificRecordBase> type) {
            return org.apache.avro.specific.SpecificData.get().getSchema(type);
        }
    }
}
