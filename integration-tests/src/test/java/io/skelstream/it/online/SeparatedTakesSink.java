package io.skelstream.it.online;

import io.skelstream.streams.replay.FrameSink;
import io.skelstream.streams.replay.GroundTruthTimeline;
import io.skelstream.streams.replay.ReplayFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Passes replayed frames on with each sequence ("take") moved later by {@code gap} times its index, so consecutive
 * takes are separated by a pause longer than {@code window.max.gap.ms}: the app then starts a new track segment per
 * take, exactly as the trainer evaluates each sequence on its own, and no window mixes two unrelated takes. Records
 * the shifted capture-time span of every take.
 */
public final class SeparatedTakesSink implements FrameSink {

    /**
     * One take as published: its ground truth, the capture times of its first and last frames, and per track the
     * capture times of the first and last frames that carry it (a person may walk into or out of view).
     */
    public static final class Take {
        public final GroundTruthTimeline.Segment truth;
        public final long firstMicros;
        public long lastMicros;
        public final Map<Long, long[]> trackSpans = new TreeMap<>();

        Take(GroundTruthTimeline.Segment truth, long firstMicros) {
            this.truth = truth;
            this.firstMicros = firstMicros;
            this.lastMicros = firstMicros;
        }
    }

    private final FrameSink downstream;
    private final GroundTruthTimeline truth;
    private final long gapMicros;
    private final List<Take> takes = new ArrayList<>();

    public SeparatedTakesSink(FrameSink downstream, GroundTruthTimeline truth, long gapMicros) {
        this.downstream = downstream;
        this.truth = truth;
        this.gapMicros = gapMicros;
    }

    @Override
    public void publish(ReplayFrame frame) {
        List<GroundTruthTimeline.Segment> segments = truth.segments(frame.deviceId());
        int index = segments.size() - 1; // the replayer records a take before its first frame
        long shifted = frame.captureTimeMicros() + index * gapMicros;
        if (takes.size() == index) {
            takes.add(new Take(segments.get(index), shifted));
        }
        Take take = takes.get(index);
        take.lastMicros = shifted;
        for (ReplayFrame.Body body : frame.bodies()) {
            take.trackSpans.computeIfAbsent(body.trackId(), t -> new long[] {shifted, shifted})[1] = shifted;
        }
        downstream.publish(new ReplayFrame(frame.deviceId(), shifted, frame.sequence(), frame.layout(),
                frame.bodies()));
    }

    public List<Take> takes() {
        return takes;
    }

    @Override
    public void flush() {
        downstream.flush();
    }

    @Override
    public void close() {
        downstream.close();
    }
}
