package io.skelstream.schemas;

import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Every released version of each record schema, kept as {@code .avsc} resources under
 * {@code io/skelstream/schemas/history/<Record>/v1.avsc, v2.avsc, ...} (numbered without gaps; the highest
 * number equals the schema compiled from {@code src/main/avro}, which a test enforces). Readers register
 * all of them, so a message written with any released version decodes.
 */
public final class SchemaHistory {
    /** Classpath folder of the history files. */
    public static final String RESOURCE_ROOT = "/io/skelstream/schemas/history/";

    private SchemaHistory() {
    }

    /**
     * All versions of the named record, oldest first ({@code versions("PoseFrame").get(0)} is v1).
     * Empty when the record has no history folder.
     */
    public static List<Schema> versions(String recordName) {
        List<Schema> found = new ArrayList<>();
        for (int version = 1; ; version++) {
            Schema schema = load(recordName, version);
            if (schema == null) {
                return List.copyOf(found);
            }
            found.add(schema);
        }
    }

    /** One version of the named record, 1-based. */
    public static Schema version(String recordName, int version) {
        Schema schema = load(recordName, version);
        if (schema == null) {
            throw new IllegalArgumentException("no schema history resource " + resource(recordName, version));
        }
        return schema;
    }

    static String resource(String recordName, int version) {
        return RESOURCE_ROOT + recordName + "/v" + version + ".avsc";
    }

    private static Schema load(String recordName, int version) {
        String resource = resource(recordName, version);
        try (InputStream in = SchemaHistory.class.getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            // A fresh parser per file: each version defines the same full names.
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema history " + resource, e);
        } catch (SchemaParseException e) {
            throw new IllegalStateException("schema history " + resource + " is not a valid Avro schema: " + e.getMessage(), e);
        }
    }
}
