package io.skelstream.streams.topology;

import io.skelstream.schemas.SkelSerdes;
import io.skelstream.schemas.avro.Body;
import io.skelstream.schemas.avro.PoseFrame;
import io.skelstream.streams.events.Micros;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * Pose frames for the topology tests, shaped for the probe model (probe-ntu25.onnx): its logits are the window means
 * of the x coordinate of person 0's ntu25 joints 0 (idle), 1 (wave), 20 (reach) and of person 1's joint 0 (pair).
 * Every other coordinate is a fixed non-zero value, so no joint is absent unless a test says so.
 */
public final class Frames {

    public static final int NTU25_JOINTS = 25;
    public static final int IDLE_JOINT = 0;
    public static final int WAVE_JOINT = 1;
    public static final int REACH_JOINT = 20;

    private Frames() {
    }

    /** An ntu25 body at horizontal offset {@code centreX} whose probe joints have the given x values. */
    public static float[] ntu25(float idleX, float waveX, float reachX) {
        float[] joints = new float[NTU25_JOINTS * 3];
        for (int j = 0; j < NTU25_JOINTS; j++) {
            joints[j * 3] = 0.5f;
            joints[j * 3 + 1] = 1.0f + j * 0.01f;
            joints[j * 3 + 2] = 2.0f;
        }
        joints[IDLE_JOINT * 3] = idleX;
        joints[WAVE_JOINT * 3] = waveX;
        joints[REACH_JOINT * 3] = reachX;
        return joints;
    }

    /** A body of a layout with {@code joints} joints, every joint at (x, 1, 2). */
    public static float[] uniform(int joints, float x) {
        float[] values = new float[joints * 3];
        for (int j = 0; j < joints; j++) {
            values[j * 3] = x;
            values[j * 3 + 1] = 1f;
            values[j * 3 + 2] = 2f;
        }
        return values;
    }

    public static Body body(long trackId, float[] joints) {
        return new Body(trackId, littleEndian(joints), null);
    }

    public static PoseFrame frame(String device, long sequence, long captureMicros, String layout, Body... bodies) {
        return PoseFrame.newBuilder()
                .setDeviceId(device)
                .setCaptureTime(Micros.toInstant(captureMicros))
                .setSequence(sequence)
                .setLayout(layout)
                .setBodies(Arrays.asList(bodies))
                .build();
    }

    public static PoseFrame ntu25Frame(String device, long sequence, long captureMicros, Body... bodies) {
        return frame(device, sequence, captureMicros, "ntu25", bodies);
    }

    public static byte[] encode(PoseFrame frame) {
        return SkelSerdes.poseFrame().serialize("test", frame);
    }

    /** Raw float32 little-endian bytes, with no checks (tests use it to send NaN and other bad values). */
    public static ByteBuffer littleEndian(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            buffer.putFloat(value);
        }
        return buffer.flip();
    }

    /** Softmax of logits, in double, as the probe model's probabilities. */
    public static double[] softmax(double... logits) {
        double max = Arrays.stream(logits).max().orElse(0);
        double[] exp = Arrays.stream(logits).map(l -> Math.exp(l - max)).toArray();
        double sum = Arrays.stream(exp).sum();
        return Arrays.stream(exp).map(e -> e / sum).toArray();
    }

    public static List<Body> bodies(Body... bodies) {
        return List.of(bodies);
    }
}
