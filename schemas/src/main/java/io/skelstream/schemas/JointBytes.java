package io.skelstream.schemas;

import io.skelstream.schemas.avro.ErrorKind;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Packs and unpacks the {@code Body.joints} and {@code Body.confidence} fields: V x 3 (resp. V) IEEE-754
 * float32, little-endian, joint-major ({@code x0 y0 z0 x1 ...}), coordinates in metres.
 *
 * <p>Unpacking checks everything a consumer relies on and raises {@link InvalidFrameException} naming the
 * device, body, track, field and joint: wrong byte length (WRONG_JOINT_COUNT / BAD_CONFIDENCE), NaN or
 * infinity (NON_FINITE), |coordinate| beyond the limit (ABSURD_VALUE), confidence outside [0, 1]
 * (BAD_CONFIDENCE). Packing refuses the same values with {@link IllegalArgumentException}, so a producer
 * cannot publish them. The input buffers are never modified (position and limit included).
 */
public final class JointBytes {
    /** Largest accepted |x|, |y| or |z| in metres: no capture device sees further. */
    public static final float MAX_ABS_COORDINATE_METRES = 100f;

    private static final String[] AXES = {"x", "y", "z"};

    private JointBytes() {
    }

    /** Unpacks one body's joints into a new V*3 array, with the default 100 m limit. */
    public static float[] unpackJoints(ByteBuffer joints, SkeletonLayout layout, BodyContext where) {
        float[] out = new float[layout.jointCount() * 3];
        unpackJoints(joints, layout, where, MAX_ABS_COORDINATE_METRES, out, 0);
        return out;
    }

    /**
     * Unpacks one body's joints into {@code dst[dstOffset .. dstOffset + V*3)}.
     *
     * @param maxAbsMetres largest accepted |coordinate|
     */
    public static void unpackJoints(ByteBuffer joints, SkeletonLayout layout, BodyContext where, float maxAbsMetres,
                                    float[] dst, int dstOffset) {
        String field = where.field("joints");
        if (joints == null) {
            throw invalid(ErrorKind.EMPTY_FIELD, where, field, "is missing");
        }
        int v = layout.jointCount();
        int expected = v * 3 * Float.BYTES;
        if (joints.remaining() != expected) {
            throw invalid(ErrorKind.WRONG_JOINT_COUNT, where, field, "has " + joints.remaining() + " bytes; layout "
                    + layout.name() + " needs " + expected + " (" + v + " joints x 3 x 4-byte float32)");
        }
        ByteBuffer in = joints.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int base = in.position();
        for (int k = 0; k < v * 3; k++) {
            float value = in.getFloat(base + k * Float.BYTES);
            if (!Float.isFinite(value)) {
                throw invalid(ErrorKind.NON_FINITE, where, field, describe(layout, k) + " is " + value);
            }
            if (Math.abs(value) > maxAbsMetres) {
                throw invalid(ErrorKind.ABSURD_VALUE, where, field, describe(layout, k) + " is " + value
                        + " m, beyond the " + maxAbsMetres + " m limit");
            }
            dst[dstOffset + k] = value;
        }
    }

    /** Unpacks one body's confidence (V floats in [0, 1]); returns null when the field is null. */
    public static float[] unpackConfidence(ByteBuffer confidence, SkeletonLayout layout, BodyContext where) {
        if (confidence == null) {
            return null;
        }
        String field = where.field("confidence");
        int v = layout.jointCount();
        if (confidence.remaining() != v * Float.BYTES) {
            throw invalid(ErrorKind.BAD_CONFIDENCE, where, field, "has " + confidence.remaining() + " bytes; layout "
                    + layout.name() + " needs " + v * Float.BYTES + " (" + v + " joints x 4-byte float32)");
        }
        ByteBuffer in = confidence.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int base = in.position();
        float[] out = new float[v];
        for (int j = 0; j < v; j++) {
            float c = in.getFloat(base + j * Float.BYTES);
            // written so that NaN fails too
            if (!(c >= 0f && c <= 1f)) {
                throw invalid(ErrorKind.BAD_CONFIDENCE, where, field, "joint " + j + " (" + layout.jointName(j)
                        + ") is " + c + ", outside [0, 1]");
            }
            out[j] = c;
        }
        return out;
    }

    /** Packs V*3 floats (metres) into a new little-endian buffer ready for {@code Body.joints}. */
    public static ByteBuffer packJoints(float[] xyz) {
        if (xyz.length % 3 != 0) {
            throw new IllegalArgumentException("joints must hold V x 3 floats, got " + xyz.length);
        }
        ByteBuffer out = ByteBuffer.allocate(xyz.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < xyz.length; k++) {
            float value = xyz[k];
            if (!Float.isFinite(value) || Math.abs(value) > MAX_ABS_COORDINATE_METRES) {
                throw new IllegalArgumentException("joint " + k / 3 + " " + AXES[k % 3] + " is " + value
                        + "; coordinates must be finite and within " + MAX_ABS_COORDINATE_METRES + " m");
            }
            out.putFloat(value);
        }
        return out.flip();
    }

    /** Packs V confidences in [0, 1] into a new little-endian buffer ready for {@code Body.confidence}. */
    public static ByteBuffer packConfidence(float[] confidence) {
        ByteBuffer out = ByteBuffer.allocate(confidence.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int j = 0; j < confidence.length; j++) {
            float c = confidence[j];
            if (!(c >= 0f && c <= 1f)) {
                throw new IllegalArgumentException("confidence of joint " + j + " is " + c + ", outside [0, 1]");
            }
            out.putFloat(c);
        }
        return out.flip();
    }

    private static String describe(SkeletonLayout layout, int k) {
        int joint = k / 3;
        return "joint " + joint + " (" + layout.jointName(joint) + ") " + AXES[k % 3];
    }

    private static InvalidFrameException invalid(ErrorKind kind, BodyContext where, String field, String problem) {
        return new InvalidFrameException(kind, where.deviceId(), where.trackId(), field,
                "PoseFrame from " + where.describe() + ": " + field + " " + problem);
    }
}
