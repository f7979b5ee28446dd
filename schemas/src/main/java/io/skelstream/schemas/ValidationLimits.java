package io.skelstream.schemas;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Bounds a {@link PoseFrameValidator} applies.
 *
 * @param maxAbsCoordinateMetres largest accepted |x|, |y|, |z| (default 100 m)
 * @param maxFutureSkew          how far capture_time may be ahead of the validator's clock (default 5 min:
 *                               device clocks drift; a frame from next week is a broken clock)
 * @param earliestCaptureTime    capture_time must be strictly after this (default the Unix epoch: 0 means unset)
 * @param maxDeviceIdBytes       longest accepted device_id in UTF-8 bytes (default 256)
 * @param maxLayoutNameChars     longest accepted layout name (default 64)
 * @param maxBodies              most bodies in one frame (default 64)
 */
public record ValidationLimits(float maxAbsCoordinateMetres, Duration maxFutureSkew, Instant earliestCaptureTime,
                               int maxDeviceIdBytes, int maxLayoutNameChars, int maxBodies) {

    public ValidationLimits {
        Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
        Objects.requireNonNull(earliestCaptureTime, "earliestCaptureTime");
        if (!(maxAbsCoordinateMetres > 0) || maxFutureSkew.isNegative() || maxDeviceIdBytes < 1
                || maxLayoutNameChars < 1 || maxBodies < 0) {
            throw new IllegalArgumentException("invalid validation limits: " + maxAbsCoordinateMetres + ", "
                    + maxFutureSkew + ", " + maxDeviceIdBytes + ", " + maxLayoutNameChars + ", " + maxBodies);
        }
    }

    public static ValidationLimits defaults() {
        return new ValidationLimits(JointBytes.MAX_ABS_COORDINATE_METRES, Duration.ofMinutes(5), Instant.EPOCH,
                256, 64, 64);
    }

    public ValidationLimits withMaxFutureSkew(Duration skew) {
        return new ValidationLimits(maxAbsCoordinateMetres, skew, earliestCaptureTime, maxDeviceIdBytes,
                maxLayoutNameChars, maxBodies);
    }

    public ValidationLimits withMaxBodies(int bodies) {
        return new ValidationLimits(maxAbsCoordinateMetres, maxFutureSkew, earliestCaptureTime, maxDeviceIdBytes,
                maxLayoutNameChars, bodies);
    }

    public ValidationLimits withEarliestCaptureTime(Instant earliest) {
        return new ValidationLimits(maxAbsCoordinateMetres, maxFutureSkew, earliest, maxDeviceIdBytes,
                maxLayoutNameChars, maxBodies);
    }
}
