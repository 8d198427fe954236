package dev.tessera.schemas;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * Fully populated generic data for any schema, derived from a seed: every field set, every array
 * and map non-empty, and each union taking the branch {@code seed mod branches} (so seeds 0..n-1
 * cover every branch of an n-way union). Used to write data with an old schema and read it with
 * the current one.
 */
final class SampleData {
    private SampleData() {}

    static Object of(Schema schema, int seed) {
        return switch (schema.getType()) {
            case RECORD -> {
                GenericData.Record record = new GenericData.Record(schema);
                int i = 0;
                for (Schema.Field field : schema.getFields()) {
                    record.put(field.pos(), of(field.schema(), seed + i++));
                }
                yield record;
            }
            case UNION -> of(schema.getTypes().get(Math.floorMod(seed, schema.getTypes().size())), seed);
            case ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    list.add(of(schema.getElementType(), seed + i));
                }
                yield list;
            }
            case MAP -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < 2; i++) {
                    map.put("k" + (seed + i), of(schema.getValueType(), seed + i));
                }
                yield map;
            }
            case ENUM -> new GenericData.EnumSymbol(schema, schema.getEnumSymbols().get(Math.floorMod(seed, schema.getEnumSymbols().size())));
            case STRING -> "s" + seed;
            case BYTES -> ByteBuffer.wrap(new byte[] {(byte) seed, 1, 2});
            case INT -> seed;
            case LONG -> 1_000_000_000_000L + seed;
            case DOUBLE -> seed + 0.5;
            case FLOAT -> seed + 0.25f;
            case BOOLEAN -> seed % 2 == 0;
            case NULL -> null;
            case FIXED -> new GenericData.Fixed(schema, new byte[schema.getFixedSize()]);
        };
    }
}
