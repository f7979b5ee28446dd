package io.skelstream.streams.window;

/**
 * The window resampling rule shared with the trainer ({@code skelstream_trainer/data/windows.py}, DESIGN contract):
 * a window of T frames at F fps ending at t_end samples t_k = t_end - (T-1-k)/F, k = 0..T-1 (seconds, float64).
 * For each t_k, i is the last frame with time <= t_k; no such frame, or t_k after the last frame: zeros; an exact hit or
 * i the last frame: frame i; otherwise frames i and i+1 are interpolated linearly in float64 and rounded once to
 * float32, except that a joint absent (0,0,0) in either frame takes the nearer frame's value (ties: the earlier frame).
 * Times are seconds computed as micros / 1e6 exactly as the trainer divides, so both sides round identically.
 */
public final class WindowResampler {

    private final int frames;
    private final double fps;

    /** @param frames T, samples per window; @param fps F, the model's frame rate */
    public WindowResampler(int frames, double fps) {
        this.frames = frames;
        this.fps = fps;
    }

    public int frames() {
        return frames;
    }

    /** Sample time k of a window ending at {@code endMicros}, in seconds. */
    public double sampleTimeSeconds(long endMicros, int k) {
        return endMicros / 1e6 - (frames - 1 - k) / fps;
    }

    /**
     * The shortest whole number of microseconds from a window's start to its end such that the window's first sample
     * is not before a frame at its start: the first window of a segment starting at {@code segmentStartMicros} ends at
     * {@code segmentStartMicros + firstSpanMicros(segmentStartMicros)}.
     */
    public long firstSpanMicros(long segmentStartMicros) {
        long span = (long) Math.ceil((frames - 1) * 1e6 / fps);
        while (sampleTimeSeconds(segmentStartMicros + span, 0) < segmentStartMicros / 1e6) {
            span++;
        }
        return span;
    }

    /**
     * Resamples {@code track} into {@code out}: T samples of V*3 floats, sample k at {@code out[k * V * 3]}.
     *
     * @param out at least T * V * 3 floats; every value is written
     */
    public void resample(TrackFrames track, long endMicros, float[] out) {
        int n = track.size();
        int width = track.floatsPerFrame();
        float[] joints = track.joints();
        int i = -1; // last frame with time <= t, advanced monotonically as t grows
        for (int k = 0; k < frames; k++) {
            double t = sampleTimeSeconds(endMicros, k);
            while (i + 1 < n && track.time(i + 1) / 1e6 <= t) {
                i++;
            }
            int at = k * width;
            if (n == 0 || i < 0 || t > track.time(n - 1) / 1e6) {
                java.util.Arrays.fill(out, at, at + width, 0f);
                continue;
            }
            double ti = track.time(i) / 1e6;
            int a = i * width;
            if (i == n - 1 || ti == t) {
                System.arraycopy(joints, a, out, at, width);
                continue;
            }
            double tj = track.time(i + 1) / 1e6;
            int b = (i + 1) * width;
            double w = (t - ti) / (tj - ti);
            boolean earlierIsNearer = (t - ti) <= (tj - t);
            for (int v = 0; v < width; v += 3) {
                boolean absent = (joints[a + v] == 0f && joints[a + v + 1] == 0f && joints[a + v + 2] == 0f)
                        || (joints[b + v] == 0f && joints[b + v + 1] == 0f && joints[b + v + 2] == 0f);
                for (int c = 0; c < 3; c++) {
                    if (absent) {
                        out[at + v + c] = earlierIsNearer ? joints[a + v + c] : joints[b + v + c];
                    } else {
                        out[at + v + c] = (float) ((1.0 - w) * joints[a + v + c] + w * joints[b + v + c]);
                    }
                }
            }
        }
    }
}
