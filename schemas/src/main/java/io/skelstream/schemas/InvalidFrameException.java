package io.skelstream.schemas;

import io.skelstream.schemas.avro.ErrorKind;

import java.util.OptionalLong;

/**
 * A pose frame that decoded but breaks the contract: unknown layout, wrong joint byte length, NaN,
 * a coordinate beyond 100 m, a timestamp far in the future, and so on. The message names the device,
 * the body (index and track id) and the field; the accessors give the same facts to code.
 */
public final class InvalidFrameException extends BadRecordException {
    private static final long serialVersionUID = 1L;

    private final String deviceId;
    private final Long trackId;
    private final String field;

    public InvalidFrameException(ErrorKind kind, String deviceId, Long trackId, String field, String message) {
        super(kind, message);
        this.deviceId = deviceId;
        this.trackId = trackId;
        this.field = field;
    }

    /** Device id as read from the frame (may be empty or null when that is the problem). */
    public String deviceId() {
        return deviceId;
    }

    /** Track id of the offending body, when the problem is inside one. */
    public OptionalLong trackId() {
        return trackId == null ? OptionalLong.empty() : OptionalLong.of(trackId);
    }

    /** Path of the offending field, e.g. {@code bodies[2].joints} or {@code capture_time}. */
    public String field() {
        return field;
    }
}
