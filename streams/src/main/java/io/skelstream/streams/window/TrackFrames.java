package io.skelstream.streams.window;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One track's frames in capture-time order, read from the frame store for resampling: a reusable buffer that grows to
 * the most frames a window has needed and is then reused without allocating.
 *
 * <p>Layout: {@code times[i]} microseconds; {@code joints[i * V * 3 ...]} x, y, z in metres of frame i, in the model's
 * joint order.
 */
public final class TrackFrames {

    private final int floatsPerFrame;
    private long[] times = new long[64];
    private float[] joints;
    private int size;

    /** @param joints V, joints per body in the model's layout */
    public TrackFrames(int joints) {
        this.floatsPerFrame = joints * 3;
        this.joints = new float[times.length * floatsPerFrame];
    }

    public void clear() {
        size = 0;
    }

    public int size() {
        return size;
    }

    public int floatsPerFrame() {
        return floatsPerFrame;
    }

    /** Appends a frame stored as V*3 little-endian float32 (the frame store's value format). */
    public void add(long captureMicros, byte[] littleEndianJoints) {
        if (size == times.length) {
            times = Arrays.copyOf(times, size * 2);
            joints = Arrays.copyOf(joints, size * 2 * floatsPerFrame);
        }
        times[size] = captureMicros;
        ByteBuffer.wrap(littleEndianJoints).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
                .get(joints, size * floatsPerFrame, floatsPerFrame);
        size++;
    }

    public long time(int index) {
        return times[index];
    }

    /** Backing array of joints; frame i starts at {@code i * floatsPerFrame()}. */
    float[] joints() {
        return joints;
    }
}
