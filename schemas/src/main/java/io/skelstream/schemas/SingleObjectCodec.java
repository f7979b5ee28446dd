package io.skelstream.schemas;

import io.skelstream.schemas.avro.ErrorKind;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Avro single-object encoding of one record type, without a schema registry.
 *
 * <p>Wire format (Avro specification, "Single-object encoding"): {@code C3 01}, the 8-byte little-endian
 * CRC-64-AVRO fingerprint of the writer schema's parsing canonical form, then the Avro binary body.
 * Writing always uses the current schema. Reading accepts every writer schema the codec knows (by default
 * every version in {@link SchemaHistory} plus the current one) and resolves it to the current schema.
 *
 * <p>{@link #decode} never lets an Avro, buffer or memory error escape: a bad message raises
 * {@link RecordDecodeException} with a kind and a message naming the record type and, for body errors,
 * the field. Instances are immutable and thread-safe.
 *
 * @param <T> the record class (generated Avro class, or {@link GenericRecord})
 */
public final class SingleObjectCodec<T> {
    /** First byte of every message. */
    public static final byte MARKER_0 = (byte) 0xC3;
    /** Second byte of every message (format version 1). */
    public static final byte MARKER_1 = (byte) 0x01;
    /** Marker plus fingerprint. */
    public static final int HEADER_LENGTH = 10;

    private static final ThreadLocal<BinaryDecoder> DECODER = new ThreadLocal<>();
    private static final ThreadLocal<BinaryEncoder> ENCODER = new ThreadLocal<>();

    private final String recordName;
    private final Schema schema;
    private final long fingerprint;
    private final DatumWriter<T> writer;
    /** Writer-schema fingerprint -> (writer schema, reader resolving it to the current schema). */
    private final Map<Long, KnownWriter<T>> known;

    private static final class KnownWriter<T> {
        final Schema schema;
        final DatumReader<T> reader;

        KnownWriter(Schema schema, DatumReader<T> reader) {
            this.schema = schema;
            this.reader = reader;
        }
    }

    private SingleObjectCodec(Schema schema, Collection<Schema> writers, GenericData model, boolean specific) {
        this.schema = Objects.requireNonNull(schema, "schema");
        this.recordName = schema.getName();
        this.fingerprint = fingerprint(schema);
        this.writer = specific ? new SpecificDatumWriter<>(schema, (SpecificData) model)
                : new GenericDatumWriter<>(schema, model);
        Map<Long, KnownWriter<T>> byFingerprint = new LinkedHashMap<>();
        List<Schema> all = new ArrayList<>(writers);
        all.add(schema);
        for (Schema w : all) {
            if (!w.getFullName().equals(schema.getFullName())) {
                throw new IllegalArgumentException("writer schema " + w.getFullName() + " is not a version of "
                        + schema.getFullName());
            }
            DatumReader<T> reader = specific ? new SpecificDatumReader<>(w, schema, (SpecificData) model)
                    : new GenericDatumReader<>(w, schema, model);
            byFingerprint.putIfAbsent(fingerprint(w), new KnownWriter<>(w, reader));
        }
        this.known = Map.copyOf(byFingerprint);
    }

    /**
     * Codec for a generated record class: writes its current schema, reads every version of it in
     * {@link SchemaHistory}.
     */
    public static <T extends SpecificRecord> SingleObjectCodec<T> forRecord(Class<T> type) {
        SpecificData model = SpecificData.getForClass(type);
        Schema schema = model.getSchema(type);
        return new SingleObjectCodec<>(schema, SchemaHistory.versions(schema.getName()), model, true);
    }

    /**
     * Codec producing {@link GenericRecord}s of {@code readerSchema} that accepts the given writer schemas
     * (and {@code readerSchema} itself). Timestamps stay plain longs. Meant for tools and tests, e.g. a
     * reader built from an old history version.
     */
    public static SingleObjectCodec<GenericRecord> generic(Schema readerSchema, Collection<Schema> writerSchemas) {
        return new SingleObjectCodec<>(readerSchema, writerSchemas, GenericData.get(), false);
    }

    /** The CRC-64-AVRO fingerprint of the schema's parsing canonical form, as written in the header. */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    /** The schema used to write, and the one every read resolves to. */
    public Schema schema() {
        return schema;
    }

    /** Fingerprints of every writer schema this codec reads. */
    public Set<Long> knownFingerprints() {
        return known.keySet();
    }

    /** Encodes one record with the current schema. */
    public byte[] encode(T record) {
        Objects.requireNonNull(record, "record");
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(MARKER_0);
        out.write(MARKER_1);
        for (int i = 0; i < 8; i++) {
            out.write((int) (fingerprint >>> (8 * i)));
        }
        try {
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, ENCODER.get());
            ENCODER.set(encoder);
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new RecordEncodeException("cannot encode " + recordName + ": " + e, e);
        }
        return out.toByteArray();
    }

    /**
     * Decodes one message.
     *
     * @throws RecordDecodeException with kind EMPTY_MESSAGE (null or no bytes), BAD_MAGIC, UNKNOWN_SCHEMA,
     *                               TRUNCATED or CORRUPT_BODY
     */
    public T decode(byte[] message) {
        if (message == null || message.length == 0) {
            throw error(ErrorKind.EMPTY_MESSAGE, null, (message == null ? "null" : "empty") + " message where a "
                    + recordName + " was expected", null);
        }
        if (message[0] != MARKER_0 || (message.length > 1 && message[1] != MARKER_1)) {
            throw error(ErrorKind.BAD_MAGIC, null, "not an Avro single-object message: expected marker C3 01, got "
                    + hex(message, Math.min(message.length, 2)) + describeStart(message), null);
        }
        if (message.length < HEADER_LENGTH) {
            throw error(ErrorKind.TRUNCATED, null, "message is " + message.length + " bytes, shorter than the "
                    + HEADER_LENGTH + "-byte single-object header", null);
        }
        long writerFingerprint = 0;
        for (int i = 0; i < 8; i++) {
            writerFingerprint |= (message[2 + i] & 0xffL) << (8 * i);
        }
        KnownWriter<T> writerVersion = known.get(writerFingerprint);
        if (writerVersion == null) {
            throw error(ErrorKind.UNKNOWN_SCHEMA, writerFingerprint, "writer schema fingerprint "
                    + fingerprintHex(writerFingerprint) + " is not a version of " + recordName
                    + " this reader knows (known: " + knownList() + ")", null);
        }
        int bodyLength = message.length - HEADER_LENGTH;
        try {
            EncodedBodyScanner.scan(writerVersion.schema, message, HEADER_LENGTH, bodyLength);
        } catch (EncodedBodyScanner.ScanFailure failure) {
            throw error(failure.kind, writerFingerprint, "bad " + recordName + " body at "
                    + failure.path() + ": " + failure.detail(), null);
        }
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(message, HEADER_LENGTH, bodyLength, DECODER.get());
            DECODER.set(decoder);
            return writerVersion.reader.read(null, decoder);
        } catch (IOException | RuntimeException | OutOfMemoryError | StackOverflowError e) {
            // The scan bounds every length, so this is a value Avro rejects while resolving (e.g. an enum
            // symbol unknown to the reader with no default): still the record's fault, never a crash.
            throw error(ErrorKind.CORRUPT_BODY, writerFingerprint, "cannot decode " + recordName + " body: " + e, e);
        }
    }

    private RecordDecodeException error(ErrorKind kind, Long writerFingerprint, String message, Throwable cause) {
        return new RecordDecodeException(kind, recordName, writerFingerprint, recordName + ": " + message, cause);
    }

    private String knownList() {
        List<String> names = new ArrayList<>();
        for (Long fp : known.keySet()) {
            names.add(fingerprintHex(fp));
        }
        return String.join(", ", names);
    }

    /** The fingerprint as the 16 hex digits of its header bytes, in wire order. */
    public static String fingerprintHex(long fingerprint) {
        StringBuilder s = new StringBuilder(16);
        for (int i = 0; i < 8; i++) {
            s.append(String.format(Locale.ROOT, "%02x", (fingerprint >>> (8 * i)) & 0xff));
        }
        return s.toString();
    }

    private static String hex(byte[] bytes, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%02X", bytes[i] & 0xff));
        }
        return s.toString();
    }

    private static String describeStart(byte[] message) {
        if (message[0] == '{' || message[0] == '[') {
            return " (looks like JSON)";
        }
        if (message[0] == 0 && message.length >= 5) {
            return " (looks like Confluent schema-registry framing)";
        }
        return "";
    }
}
