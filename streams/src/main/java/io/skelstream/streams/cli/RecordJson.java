package io.skelstream.streams.cli;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.IndexedRecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An Avro record as one line of JSON for people and {@code jq}: field names as in the schema, timestamps as
 * ISO-8601 UTC strings, enums by name, float32 joint bytes as numbers, other bytes as base64.
 */
public final class RecordJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Byte fields that hold little-endian float32 values (a body's joints and confidences): shown as numbers. */
    private static final Set<String> FLOAT32_FIELDS = Set.of("joints", "confidence");

    private RecordJson() {
    }

    public static String toJsonLine(IndexedRecord record) {
        try {
            return JSON.writeValueAsString(toPlain(record));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("plain maps, lists, strings and numbers are always JSON", e);
        }
    }

    private static List<Float> float32s(ByteBuffer bytes) {
        FloatBuffer floats = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        List<Float> out = new ArrayList<>(floats.remaining());
        while (floats.hasRemaining()) {
            out.add(floats.get());
        }
        return out;
    }

    /** The record as maps, lists, strings, numbers and booleans. */
    public static Object toPlain(Object value) {
        if (value instanceof IndexedRecord record) {
            Map<String, Object> fields = new LinkedHashMap<>();
            for (Schema.Field field : record.getSchema().getFields()) {
                Object fieldValue = record.get(field.pos());
                fields.put(field.name(), FLOAT32_FIELDS.contains(field.name()) && fieldValue instanceof ByteBuffer bytes
                        ? float32s(bytes) : toPlain(fieldValue));
            }
            return fields;
        }
        if (value instanceof Instant instant) {
            return instant.toString();
        }
        if (value instanceof ByteBuffer buffer) {
            ByteBuffer copy = buffer.duplicate();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof CharSequence text) {
            return text.toString();
        }
        if (value instanceof Enum<?> constant) {
            return constant.name();
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object item : list) {
                out.add(toPlain(item));
            }
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((key, item) -> out.put(String.valueOf(key), toPlain(item)));
            return out;
        }
        if (value instanceof GenericContainer container) {
            return container.toString(); // a generic enum or fixed
        }
        return value; // numbers, booleans, null
    }
}
