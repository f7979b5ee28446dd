package io.skelstream.streams.replay;

/** Small hand-made sequences for replay tests. */
final class Sequences {

    private Sequences() {
    }

    /**
     * A one-person sequence whose joint 0 has x = frame index + 1 (so resampled values reveal the sample time), all
     * other joints (0.1, 0.2, 0.3).
     */
    static PoseSequence ramp(String id, String label, int frames, double fps, int joints) {
        float[] xyz = new float[frames * joints * 3];
        for (int t = 0; t < frames; t++) {
            for (int v = 0; v < joints; v++) {
                int base = (t * joints + v) * 3;
                xyz[base] = v == 0 ? t + 1 : 0.1f;
                xyz[base + 1] = 0.2f;
                xyz[base + 2] = 0.3f;
            }
        }
        return new PoseSequence(id, label, "ntu25", fps, frames, 1, joints, xyz);
    }

    /** A fake clock that jumps to whatever time the replayer waits for. */
    static final class VirtualClock implements ReplayClock {
        long now;

        VirtualClock(long startMicros) {
            now = startMicros;
        }

        @Override
        public long nowMicros() {
            return now;
        }

        @Override
        public void sleepUntil(long epochMicros) {
            now = Math.max(now, epochMicros);
        }
    }
}
