package io.skelstream.schemas;

import io.skelstream.schemas.avro.ErrorKind;

import java.util.Objects;

/**
 * An input record that cannot be used: it does not decode, or it decodes but breaks a rule of the
 * contract. Carries a machine-readable {@link ErrorKind} (the value of {@code DeadLetter.error_kind})
 * and a message for humans that names the record type, device, track and field where known.
 *
 * <p>Unchecked because Kafka's {@code Deserializer} cannot throw checked exceptions; callers that turn
 * bad records into dead letters catch this one type.
 */
public class BadRecordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorKind kind;

    public BadRecordException(ErrorKind kind, String message) {
        this(kind, message, null);
    }

    public BadRecordException(ErrorKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** What class of problem this is; never null. */
    public ErrorKind kind() {
        return kind;
    }
}
