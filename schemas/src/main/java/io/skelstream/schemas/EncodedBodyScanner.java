package io.skelstream.schemas;

import io.skelstream.schemas.avro.ErrorKind;
import org.apache.avro.Schema;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Walks an Avro binary body against its writer schema without allocating anything the body declares,
 * and rejects it when a declared length or count does not fit in the bytes that remain, a varint is
 * malformed, a union or enum index is out of range, a boolean is not 0/1 or a string is not UTF-8.
 *
 * <p>Why: Avro's own decoder allocates a declared length before reading it, so a corrupt header of a
 * 100-byte message could ask for a 2 GiB array, and a negative length makes its skip go backwards. After
 * this scan passes, every length is bounded by the message and Avro can decode safely.
 */
final class EncodedBodyScanner {
    /** Upper bound on items of a type that occupies no bytes (e.g. an array of null); none of ours do. */
    private static final long MAX_ZERO_SIZE_ITEMS = 1 << 16;

    private final byte[] buf;
    private final int end;
    private int pos;

    /** A scan failure, with the field path filled in while the stack unwinds. */
    static final class ScanFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final ErrorKind kind;
        private final String detail;
        private String path = "";

        ScanFailure(ErrorKind kind, String detail) {
            super(null, null, false, false);
            this.kind = kind;
            this.detail = detail;
        }

        ScanFailure within(String step) {
            path = path.isEmpty() ? step : (path.startsWith("[") ? step + path : step + "." + path);
            return this;
        }

        String path() {
            return path.isEmpty() ? "(body)" : path;
        }

        String detail() {
            return detail;
        }
    }

    private EncodedBodyScanner(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
    }

    /** Scans {@code buf[offset, offset+length)} as one datum of {@code writer}; it must use every byte. */
    static void scan(Schema writer, byte[] buf, int offset, int length) throws ScanFailure {
        EncodedBodyScanner scanner = new EncodedBodyScanner(buf, offset, length);
        scanner.datum(writer);
        if (scanner.pos != scanner.end) {
            throw new ScanFailure(ErrorKind.CORRUPT_BODY,
                    (scanner.end - scanner.pos) + " bytes left over after the end of the record");
        }
    }

    private int remaining() {
        return end - pos;
    }

    private void datum(Schema schema) throws ScanFailure {
        switch (schema.getType()) {
            case NULL:
                return;
            case BOOLEAN: {
                need(1, "boolean");
                byte b = buf[pos++];
                if (b != 0 && b != 1) {
                    throw new ScanFailure(ErrorKind.CORRUPT_BODY, "boolean byte is " + (b & 0xff) + ", not 0 or 1");
                }
                return;
            }
            case INT:
            case LONG:
                varLong();
                return;
            case FLOAT:
                need(4, "float");
                pos += 4;
                return;
            case DOUBLE:
                need(8, "double");
                pos += 8;
                return;
            case FIXED:
                need(schema.getFixedSize(), "fixed " + schema.getName());
                pos += schema.getFixedSize();
                return;
            case BYTES: {
                int n = length("bytes"); // read first: "pos += length()" would load pos before the call moves it
                pos += n;
                return;
            }
            case STRING: {
                int n = length("string");
                checkUtf8(n);
                pos += n;
                return;
            }
            case ENUM: {
                long index = varLong();
                if (index < 0 || index >= schema.getEnumSymbols().size()) {
                    throw new ScanFailure(ErrorKind.CORRUPT_BODY, "enum " + schema.getName() + " index " + index
                            + " is not in [0, " + schema.getEnumSymbols().size() + ")");
                }
                return;
            }
            case UNION: {
                long index = varLong();
                if (index < 0 || index >= schema.getTypes().size()) {
                    throw new ScanFailure(ErrorKind.CORRUPT_BODY, "union branch " + index
                            + " is not in [0, " + schema.getTypes().size() + ")");
                }
                datum(schema.getTypes().get((int) index));
                return;
            }
            case RECORD:
                for (Schema.Field field : schema.getFields()) {
                    try {
                        datum(field.schema());
                    } catch (ScanFailure failure) {
                        throw failure.within(field.name());
                    }
                }
                return;
            case ARRAY:
                blocks(schema.getElementType(), null);
                return;
            case MAP:
                blocks(schema.getValueType(), Schema.create(Schema.Type.STRING));
                return;
            default:
                throw new ScanFailure(ErrorKind.CORRUPT_BODY, "unsupported schema type " + schema.getType());
        }
    }

    /** Array or map blocks: count, [byte size when count < 0], items; a zero count ends. */
    private void blocks(Schema item, Schema mapKey) throws ScanFailure {
        long index = 0;
        boolean zeroSize = mapKey == null && minSize(item) == 0;
        while (true) {
            long count = varLong();
            if (count == 0) {
                return;
            }
            if (count < 0) {
                if (count == Long.MIN_VALUE) {
                    throw new ScanFailure(ErrorKind.CORRUPT_BODY, "block count " + count + " is invalid");
                }
                count = -count;
                long size = varLong();
                if (size < 0) {
                    throw new ScanFailure(ErrorKind.CORRUPT_BODY, "block byte size " + size + " is negative");
                }
                if (size > remaining()) {
                    throw new ScanFailure(ErrorKind.TRUNCATED, "block declares " + size + " bytes but only "
                            + remaining() + " remain");
                }
            }
            if (zeroSize ? count > MAX_ZERO_SIZE_ITEMS : count > remaining()) {
                throw new ScanFailure(zeroSize ? ErrorKind.CORRUPT_BODY : ErrorKind.TRUNCATED,
                        "block declares " + count + " items but only " + remaining() + " bytes remain");
            }
            for (long i = 0; i < count; i++, index++) {
                try {
                    if (mapKey != null) {
                        datum(mapKey);
                    }
                    datum(item);
                } catch (ScanFailure failure) {
                    throw failure.within("[" + index + "]");
                }
            }
        }
    }

    /** Fewest bytes one datum of this schema can occupy (0 or more). */
    private static int minSize(Schema schema) {
        switch (schema.getType()) {
            case NULL:
                return 0;
            case FIXED:
                return schema.getFixedSize();
            case FLOAT:
                return 4;
            case DOUBLE:
                return 8;
            case RECORD: {
                int sum = 0;
                for (Schema.Field field : schema.getFields()) {
                    sum += minSize(field.schema());
                }
                return sum;
            }
            default:
                return 1;
        }
    }

    private int length(String what) throws ScanFailure {
        long n = varLong();
        if (n < 0) {
            throw new ScanFailure(ErrorKind.CORRUPT_BODY, what + " length " + n + " is negative");
        }
        if (n > remaining()) {
            throw new ScanFailure(ErrorKind.TRUNCATED, what + " declares " + n + " bytes but only "
                    + remaining() + " remain");
        }
        return (int) n;
    }

    private void need(int n, String what) throws ScanFailure {
        if (n > remaining()) {
            throw new ScanFailure(ErrorKind.TRUNCATED, what + " needs " + n + " bytes but only "
                    + remaining() + " remain");
        }
    }

    /** Zig-zag varint of at most 10 bytes. */
    private long varLong() throws ScanFailure {
        long raw = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (pos >= end) {
                throw new ScanFailure(ErrorKind.TRUNCATED, "message ends inside a variable-length integer");
            }
            int b = buf[pos++] & 0xff;
            raw |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new ScanFailure(ErrorKind.CORRUPT_BODY, "variable-length integer longer than 10 bytes");
    }

    private void checkUtf8(int n) throws ScanFailure {
        for (int i = pos; i < pos + n; i++) {
            if (buf[i] < 0) { // non-ASCII present: do the full check
                try {
                    StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(buf, pos, n));
                } catch (CharacterCodingException e) {
                    throw new ScanFailure(ErrorKind.CORRUPT_BODY, "string is not valid UTF-8");
                }
                return;
            }
        }
    }
}
