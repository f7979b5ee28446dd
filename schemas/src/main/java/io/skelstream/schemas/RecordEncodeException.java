package io.skelstream.schemas;

import org.apache.kafka.common.errors.SerializationException;

/** A record that cannot be written with its schema (a required field is null, a value is out of range). */
public final class RecordEncodeException extends SerializationException {
    private static final long serialVersionUID = 1L;

    public RecordEncodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
