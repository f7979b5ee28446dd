package io.skelstream.streams.events;

import java.nio.ByteBuffer;

/**
 * The last N probability vectors of one track (a ring) and the label of its last confident prediction; the value of
 * the smoothing store, {@code 12 + N * K * 4} bytes.
 */
final class SmoothingHistory {

    /** {@link #lastLabel} when the track's last prediction was below the confidence threshold ("no action"). */
    static final int NO_ACTION = -1;

    private final int capacity;
    private final int labels;
    private final float[] ring;
    private int count;
    private int next;
    private int lastLabel = NO_ACTION;

    SmoothingHistory(int capacity, int labels) {
        this.capacity = capacity;
        this.labels = labels;
        this.ring = new float[capacity * labels];
    }

    void push(float[] probabilities) {
        System.arraycopy(probabilities, 0, ring, next * labels, labels);
        next = (next + 1) % capacity;
        count = Math.min(count + 1, capacity);
    }

    /** Mean of the held probability vectors, per label. */
    float[] mean() {
        float[] mean = new float[labels];
        for (int k = 0; k < labels; k++) {
            double sum = 0;
            for (int i = 0; i < count; i++) {
                sum += ring[i * labels + k];
            }
            mean[k] = (float) (sum / count);
        }
        return mean;
    }

    int lastLabel() {
        return lastLabel;
    }

    void lastLabel(int label) {
        this.lastLabel = label;
    }

    byte[] toBytes() {
        ByteBuffer out = ByteBuffer.allocate(12 + ring.length * 4).putInt(count).putInt(next).putInt(lastLabel);
        out.asFloatBuffer().put(ring);
        return out.array();
    }

    /** Reads a stored history; one written with another N or K (the configuration or model changed) starts over. */
    static SmoothingHistory fromBytes(byte[] bytes, int capacity, int labels) {
        SmoothingHistory history = new SmoothingHistory(capacity, labels);
        if (bytes == null || bytes.length != 12 + capacity * labels * 4) {
            return history;
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        history.count = in.getInt();
        history.next = in.getInt();
        history.lastLabel = in.getInt();
        in.asFloatBuffer().get(history.ring);
        if (history.count < 0 || history.count > capacity || history.next < 0 || history.next >= capacity
                || history.lastLabel < NO_ACTION || history.lastLabel >= labels) {
            return new SmoothingHistory(capacity, labels);
        }
        return history;
    }
}
