package io.skelstream.schemas;

import io.skelstream.schemas.avro.ErrorKind;

import java.util.OptionalLong;

/**
 * A message that is not a readable single-object-encoded record of the expected type. Its kind is one of
 * {@link ErrorKind#EMPTY_MESSAGE}, {@link ErrorKind#BAD_MAGIC}, {@link ErrorKind#UNKNOWN_SCHEMA},
 * {@link ErrorKind#TRUNCATED} or {@link ErrorKind#CORRUPT_BODY}.
 */
public final class RecordDecodeException extends BadRecordException {
    private static final long serialVersionUID = 1L;

    private final String recordName;
    private final Long fingerprint;

    public RecordDecodeException(ErrorKind kind, String recordName, Long fingerprint, String message, Throwable cause) {
        super(kind, message, cause);
        this.recordName = recordName;
        this.fingerprint = fingerprint;
    }

    /** Simple name of the record type the reader expected, e.g. {@code PoseFrame}. */
    public String recordName() {
        return recordName;
    }

    /** The writer-schema fingerprint from the message header, when the header was complete. */
    public OptionalLong fingerprint() {
        return fingerprint == null ? OptionalLong.empty() : OptionalLong.of(fingerprint);
    }
}
