package dev.tessera.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * The schemas of every released version of the wire format, kept verbatim as resources under
 * {@code dev/tessera/schemas/released/<version>/<RecordName>.avsc}. A released file is never
 * edited: readers resolve data written with it against the current schema, and
 * {@code SchemaCompatibilityTest} proves that they can.
 */
public final class ReleasedSchemas {
    /** Released versions, oldest first. Add one when a schema change ships; never remove one. */
    public static final List<String> VERSIONS = List.of("v1");

    private ReleasedSchemas() {}

    /**
     * Every released writer schema of the record whose simple name is given (e.g.
     * {@code ModelGraphEvent}), oldest first; a version that did not have that record is skipped.
     */
    public static List<Schema> of(String recordName) {
        List<Schema> schemas = new ArrayList<>();
        for (String version : VERSIONS) {
            Schema schema = load(version, recordName);
            if (schema != null) {
                schemas.add(schema);
            }
        }
        return List.copyOf(schemas);
    }

    /** The schema of one record in one released version, or null when that version had no such record. */
    public static Schema load(String version, String recordName) {
        String resource = "/dev/tessera/schemas/released/" + version + "/" + recordName + ".avsc";
        try (InputStream in = ReleasedSchemas.class.getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
