package io.skelstream.schemas;

import io.skelstream.schemas.avro.Body;
import io.skelstream.schemas.avro.ErrorKind;
import io.skelstream.schemas.avro.PoseFrame;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Checks a decoded {@link PoseFrame} against the contract and the known layouts, and unpacks its joints.
 * Pure apart from reading the clock (for FUTURE_TIMESTAMP); thread-safe.
 *
 * <p>Checks, in order (the first failure is raised as {@link InvalidFrameException}):
 * device_id non-empty (EMPTY_FIELD) and short (OVERSIZED_FIELD); record key equals device_id when given
 * (KEY_MISMATCH); capture_time after {@link ValidationLimits#earliestCaptureTime()} (BAD_TIMESTAMP) and not
 * beyond clock + {@link ValidationLimits#maxFutureSkew()} (FUTURE_TIMESTAMP); sequence >= 0 (BAD_SEQUENCE);
 * layout non-empty, short and known (EMPTY_FIELD, OVERSIZED_FIELD, UNKNOWN_LAYOUT); at most
 * {@link ValidationLimits#maxBodies()} bodies (TOO_MANY_BODIES); track ids unique (DUPLICATE_TRACK); each
 * body's joints and confidence as {@link JointBytes} checks them.
 *
 * <p>Stateful checks (sequence going backwards, late frames) belong to the stream, which has the state.
 */
public final class PoseFrameValidator {
    private final SkeletonLayouts layouts;
    private final ValidationLimits limits;
    private final Clock clock;

    public PoseFrameValidator(SkeletonLayouts layouts, ValidationLimits limits, Clock clock) {
        this.layouts = Objects.requireNonNull(layouts, "layouts");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Bundled layouts, default limits, the system UTC clock. */
    public static PoseFrameValidator withDefaults() {
        return new PoseFrameValidator(SkeletonLayouts.bundled(), ValidationLimits.defaults(), Clock.systemUTC());
    }

    public ValidationLimits limits() {
        return limits;
    }

    /** Validates a frame without a record key. */
    public ValidPoseFrame validate(PoseFrame frame) {
        return check(frame, null, false);
    }

    /** Validates a frame read from Kafka: the record key must equal its device_id. */
    public ValidPoseFrame validate(String recordKey, PoseFrame frame) {
        return check(frame, recordKey, true);
    }

    private ValidPoseFrame check(PoseFrame frame, String recordKey, boolean checkKey) {
        Objects.requireNonNull(frame, "frame");
        String device = frame.getDeviceId();
        if (device == null || device.isEmpty()) {
            throw invalid(ErrorKind.EMPTY_FIELD, device, "device_id", "is empty");
        }
        int deviceBytes = device.getBytes(StandardCharsets.UTF_8).length;
        if (deviceBytes > limits.maxDeviceIdBytes()) {
            throw invalid(ErrorKind.OVERSIZED_FIELD, device, "device_id", "is " + deviceBytes
                    + " UTF-8 bytes, more than " + limits.maxDeviceIdBytes());
        }
        if (checkKey && !device.equals(recordKey)) {
            throw invalid(ErrorKind.KEY_MISMATCH, device, "device_id", "differs from the record key "
                    + BodyContext.quote(recordKey) + " (the key of skel.poses must be the device id)");
        }
        Instant captured = frame.getCaptureTime();
        if (captured == null || !captured.isAfter(limits.earliestCaptureTime())) {
            throw invalid(ErrorKind.BAD_TIMESTAMP, device, "capture_time", "is " + captured + ", not after "
                    + limits.earliestCaptureTime());
        }
        Instant latest = clock.instant().plus(limits.maxFutureSkew());
        if (captured.isAfter(latest)) {
            throw invalid(ErrorKind.FUTURE_TIMESTAMP, device, "capture_time", "is " + captured
                    + ", more than " + limits.maxFutureSkew() + " ahead of the clock (" + clock.instant() + ")");
        }
        if (frame.getSequence() < 0) {
            throw invalid(ErrorKind.BAD_SEQUENCE, device, "sequence", "is " + frame.getSequence() + ", negative");
        }
        String layoutName = frame.getLayout();
        if (layoutName == null || layoutName.isEmpty()) {
            throw invalid(ErrorKind.EMPTY_FIELD, device, "layout", "is empty");
        }
        if (layoutName.length() > limits.maxLayoutNameChars()) {
            throw invalid(ErrorKind.OVERSIZED_FIELD, device, "layout", "is " + layoutName.length()
                    + " characters, more than " + limits.maxLayoutNameChars());
        }
        SkeletonLayout layout = layouts.find(layoutName).orElseThrow(() -> invalid(ErrorKind.UNKNOWN_LAYOUT, device,
                "layout", "is " + BodyContext.quote(layoutName) + ", not a known layout (known: "
                        + String.join(", ", layouts.names()) + ")"));
        List<Body> bodies = frame.getBodies();
        if (bodies == null) {
            throw invalid(ErrorKind.EMPTY_FIELD, device, "bodies", "is missing");
        }
        if (bodies.size() > limits.maxBodies()) {
            throw invalid(ErrorKind.TOO_MANY_BODIES, device, "bodies", "has " + bodies.size()
                    + " bodies, more than " + limits.maxBodies());
        }
        List<ValidPoseFrame.Body> valid = new ArrayList<>(bodies.size());
        Set<Long> tracks = new HashSet<>();
        for (int b = 0; b < bodies.size(); b++) {
            Body body = bodies.get(b);
            BodyContext where = new BodyContext(device, b, body.getTrackId());
            if (!tracks.add(body.getTrackId())) {
                throw new InvalidFrameException(ErrorKind.DUPLICATE_TRACK, device, body.getTrackId(),
                        where.field("track_id"), "PoseFrame from " + where.describe() + ": "
                        + where.field("track_id") + " " + body.getTrackId() + " appears twice in the frame");
            }
            float[] joints = new float[layout.jointCount() * 3];
            JointBytes.unpackJoints(body.getJoints(), layout, where, limits.maxAbsCoordinateMetres(), joints, 0);
            float[] confidence = JointBytes.unpackConfidence(body.getConfidence(), layout, where);
            valid.add(new ValidPoseFrame.Body(body.getTrackId(), joints, confidence));
        }
        return new ValidPoseFrame(frame, layout, valid);
    }

    private static InvalidFrameException invalid(ErrorKind kind, String device, String field, String problem) {
        return new InvalidFrameException(kind, device, null, field,
                "PoseFrame from device " + BodyContext.quote(device) + ": " + field + " " + problem);
    }
}
