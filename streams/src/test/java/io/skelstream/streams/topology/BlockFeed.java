package io.skelstream.streams.topology;

import static io.skelstream.streams.topology.Frames.body;
import static io.skelstream.streams.topology.Frames.ntu25;
import static io.skelstream.streams.topology.Frames.ntu25Frame;
import static io.skelstream.streams.topology.PipelineHarness.T0_MICROS;

/**
 * Feeds one track in blocks of 8 frames at 30 fps with a hop of 8 model frames, so window k holds block k (up to the
 * last sample's 1e-5 interpolation weight into the next block): a test sets what the model sees window by window.
 */
public final class BlockFeed {

    /** Settings that make windows line up with blocks. */
    public static final String HOP_FRAMES = "8";
    public static final long SPAN_MICROS = 233_334;
    public static final long HOP_MICROS = 266_667;

    public static final float[] WAVE = {0f, 6f, 0f};
    public static final float[] IDLE = {6f, 0f, 0f};
    /** Every label equally likely (0.25 each): below any sensible threshold. */
    public static final float[] NOTHING = {0f, 0f, 0f};
    /** Wave with probability just above 0.5. */
    public static final float[] MEDIUM_WAVE = {0f, 1.1f, 0f};

    private final PipelineHarness pipeline;
    private final String device;
    private final long track;
    private int frame;

    public BlockFeed(PipelineHarness pipeline, String device, long track) {
        this.pipeline = pipeline;
        this.device = device;
        this.track = track;
    }

    public static long frameMicros(int frame) {
        return T0_MICROS + Math.round(frame * 1e6 / 30);
    }

    /** End of window k (capture time). */
    public static long windowEnd(int k) {
        return T0_MICROS + SPAN_MICROS + k * HOP_MICROS;
    }

    /** Probe probabilities of a block's values. */
    public static double[] probabilities(float[] block) {
        return Frames.softmax(block[0], block[1], block[2], 0);
    }

    /** Sends one block of 8 frames per argument; a window becomes due with the first frame of the next block. */
    public void blocks(float[]... blocks) {
        for (float[] block : blocks) {
            for (int i = 0; i < 8; i++) {
                send(block);
            }
        }
    }

    /** One more frame, so the last block's window is due. */
    public void close(float[] block) {
        send(block);
    }

    public int framesSent() {
        return frame;
    }

    private void send(float[] block) {
        pipeline.send(ntu25Frame(device, frame, frameMicros(frame), body(track, ntu25(block[0], block[1], block[2]))));
        frame++;
    }
}
