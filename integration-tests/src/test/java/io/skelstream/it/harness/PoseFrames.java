package io.skelstream.it.harness;

import io.skelstream.schemas.SingleObjectCodec;
import io.skelstream.schemas.SkelSerdes;
import io.skelstream.schemas.avro.Body;
import io.skelstream.schemas.avro.PoseFrame;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Valid ntu25 pose frames for tests that care about windows, not labels: a standing person (25 joints, metres,
 * about 2.5 m in front of the camera) whose arms swing with time, so consecutive frames differ.
 */
public final class PoseFrames {

    public static final String LAYOUT = "ntu25";
    public static final int JOINTS = 25;

    private static final SingleObjectCodec<PoseFrame> CODEC = SkelSerdes.poseFrame().codec();

    /** Rest pose, ntu25 joint order, x y z in metres (y up). */
    private static final float[][] REST = {
        {0f, 0.95f, 2.5f}, {0f, 1.20f, 2.5f}, {0f, 1.48f, 2.5f}, {0f, 1.62f, 2.5f},       // spine base .. head
        {-0.18f, 1.42f, 2.5f}, {-0.25f, 1.15f, 2.5f}, {-0.27f, 0.92f, 2.5f}, {-0.28f, 0.85f, 2.5f}, // left arm
        {0.18f, 1.42f, 2.5f}, {0.25f, 1.15f, 2.5f}, {0.27f, 0.92f, 2.5f}, {0.28f, 0.85f, 2.5f},     // right arm
        {-0.10f, 0.92f, 2.5f}, {-0.11f, 0.50f, 2.5f}, {-0.11f, 0.08f, 2.5f}, {-0.11f, 0.02f, 2.42f}, // left leg
        {0.10f, 0.92f, 2.5f}, {0.11f, 0.50f, 2.5f}, {0.11f, 0.08f, 2.5f}, {0.11f, 0.02f, 2.42f},     // right leg
        {0f, 1.42f, 2.5f}, {-0.29f, 0.80f, 2.5f}, {-0.27f, 0.82f, 2.48f}, {0.29f, 0.80f, 2.5f},     // spine shoulder, hands
        {0.27f, 0.82f, 2.48f}};

    private PoseFrames() {
    }

    /** The joints (V*3 floats) of the moving person at a capture time; {@code phase} shifts the motion per person. */
    public static float[] joints(long captureMicros, double phase) {
        double t = captureMicros / 1e6;
        float swing = (float) (0.25 * Math.sin(2 * Math.PI * 0.7 * t + phase));
        float[] out = new float[JOINTS * 3];
        for (int j = 0; j < JOINTS; j++) {
            out[j * 3] = REST[j][0];
            out[j * 3 + 1] = REST[j][1];
            out[j * 3 + 2] = REST[j][2];
        }
        for (int j : new int[] {5, 6, 7, 9, 10, 11, 21, 22, 23, 24}) { // elbows, wrists, hands, hand tips, thumbs
            out[j * 3 + 1] += swing * (j == 5 || j == 9 ? 0.5f : 1f);
            out[j * 3 + 2] -= Math.abs(swing) * 0.5f;
        }
        return out;
    }

    /** Little-endian float32 bytes, as Body.joints carries them. */
    public static ByteBuffer floats(float... values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return bytes;
    }

    public static Body body(long trackId, float[] joints) {
        return Body.newBuilder().setTrackId(trackId).setJoints(floats(joints)).setConfidence(null).build();
    }

    /** A frame with one moving person per track id. */
    public static PoseFrame frame(String deviceId, long captureMicros, long sequence, long... trackIds) {
        List<Body> bodies = new ArrayList<>();
        for (long track : trackIds) {
            bodies.add(body(track, joints(captureMicros, track)));
        }
        return PoseFrame.newBuilder()
                .setDeviceId(deviceId)
                .setCaptureTime(instant(captureMicros))
                .setSequence(sequence)
                .setLayout(LAYOUT)
                .setBodies(bodies)
                .build();
    }

    public static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    }

    public static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1000;
    }

    /** Avro single-object bytes of a frame, exactly as a device would send them. */
    public static byte[] encode(PoseFrame frame) {
        return CODEC.encode(frame);
    }
}
