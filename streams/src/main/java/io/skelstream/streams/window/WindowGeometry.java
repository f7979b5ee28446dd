package io.skelstream.streams.window;

import io.skelstream.encoder.ModelDescription;
import io.skelstream.streams.config.SkelStreamConfig;

/**
 * The time geometry of a track's windows, all in microseconds of capture time: T frames at the model's fps, a hop
 * between nominal window ends, how far before its nominal end a window may end on a frame (the snap), the reorder
 * tolerance (how long a window waits for late frames) and the longest gap that is still interpolated.
 */
public record WindowGeometry(int frames, int persons, int joints, double fps, long hopMicros, long snapMicros,
                             long toleranceMicros, long maxGapMicros) {

    public static WindowGeometry of(ModelDescription model, SkelStreamConfig config) {
        long hop = config.windowHopMs().isPresent() ? config.windowHopMs().getAsLong() * 1000
                : Math.max(1, Math.round(config.windowHopFrames() * 1e6 / model.fps()));
        long snap = config.windowEndSnapMs().isPresent() ? config.windowEndSnapMs().getAsLong() * 1000
                : (long) Math.floor(0.5e6 / model.fps());
        return new WindowGeometry(model.frames(), model.persons(), model.joints(), model.fps(), hop,
                Math.min(snap, hop / 2), config.reorderToleranceMs() * 1000, config.maxGapMs() * 1000);
    }

    /** Window length, first to last sample: (T - 1) / fps, rounded up to whole microseconds. */
    public long spanMicros() {
        return (long) Math.ceil((frames - 1) * 1e6 / fps);
    }

    /** Floats of one body over a window: T * V * 3. */
    public int bodyWindowFloats() {
        return frames * joints * 3;
    }
}
