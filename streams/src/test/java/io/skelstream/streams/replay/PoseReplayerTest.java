package io.skelstream.streams.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class PoseReplayerTest {

    private static final long START = 1_700_000_000_000_000L;

    /** Collects frames, as a Kafka topic would. */
    private static final class ListSink implements FrameSink {
        final List<ReplayFrame> frames = new ArrayList<>();
        int flushes;

        @Override
        public void publish(ReplayFrame frame) {
            frames.add(frame);
        }

        @Override
        public void flush() {
            flushes++;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void shouldPublishEachFrameAtItsCaptureTimeWithPerDeviceSequenceNumbers() {
        PoseSequence a = Sequences.ramp("a", "wave", 30, 30, 25);
        PoseSequence b = Sequences.ramp("b", "clap", 15, 30, 25);
        ListSink sink = new ListSink();
        GroundTruthTimeline truth = new GroundTruthTimeline();
        ReplayOptions options = new ReplayOptions(2, "cam", Optional.empty(), 1.0, 0, 0, false, Optional.empty(), 1,
                true);

        ReplayStatistics done = new PoseReplayer(List.of(a, b), options, new Sequences.VirtualClock(START), truth)
                .run(sink, s -> { });

        assertEquals(2 * 45, done.framesPublished());
        assertEquals(1, sink.flushes);
        Map<String, List<ReplayFrame>> byDevice = new HashMap<>();
        sink.frames.forEach(f -> byDevice.computeIfAbsent(f.deviceId(), d -> new ArrayList<>()).add(f));
        assertEquals(List.of("cam-01", "cam-02"), byDevice.keySet().stream().sorted().toList());
        List<ReplayFrame> first = byDevice.get("cam-01");
        for (int k = 0; k < first.size(); k++) {
            assertEquals(k, first.get(k).sequence());
            assertEquals(START + Math.round(k * 1e6 / 30), first.get(k).captureTimeMicros(), 1);
            assertEquals(1, first.get(k).bodies().get(0).trackId(), "continuous: person slot 0 is track 1");
        }
        // Device 1 starts at the dataset's second sequence, so the devices show different actions at once.
        assertEquals("clap", truth.segmentAt("cam-02", START).orElseThrow().label());
        assertEquals("wave", truth.segmentAt("cam-01", START).orElseThrow().label());
        GroundTruthTimeline.Segment clapOnFirst = truth.segments("cam-01").get(1);
        assertEquals(START + 1_000_000, clapOnFirst.startMicros(), 1);
        assertEquals(START + 1_500_000, clapOnFirst.endMicros(), 1);
    }

    @Test
    void shouldGiveEverySequenceNewTracksByDefault() {
        PoseSequence a = Sequences.ramp("a", "wave", 3, 30, 25);
        PoseSequence b = Sequences.ramp("b", "clap", 3, 30, 25);
        ListSink sink = new ListSink();
        ReplayOptions options = new ReplayOptions(1, "cam", Optional.empty(), 1.0, 0, 0, true,
                Optional.of(Duration.ofMillis(290)), 1);

        new PoseReplayer(List.of(a, b), options, new Sequences.VirtualClock(START), new GroundTruthTimeline())
                .run(sink, s -> { });

        assertEquals(List.of(1L, 1L, 1L, 2L, 2L, 2L, 3L, 3L, 3L),
                sink.frames.stream().map(f -> f.bodies().get(0).trackId()).toList());
    }

    @Test
    void shouldResampleToTheOutputFpsAndPlayFasterWithSpeed() {
        PoseSequence ramp = Sequences.ramp("r", "wave", 31, 30, 25); // x of joint 0 = t*30 + 1 at time t
        ListSink sink = new ListSink();
        ReplayOptions options = new ReplayOptions(1, "cam", Optional.of(12.0), 2.0, 0, 0, false, Optional.empty(), 1);

        new PoseReplayer(List.of(ramp), options, new Sequences.VirtualClock(START), new GroundTruthTimeline())
                .run(sink, s -> { });

        // 31 frames at 30 fps = 1.033 s of content -> ceil(1.033 * 12) = 13 output frames, 2x speed.
        assertEquals(13, sink.frames.size());
        for (int k = 0; k < 13; k++) {
            ReplayFrame frame = sink.frames.get(k);
            double contentSeconds = k / 12.0;
            double expectedX = Math.min(contentSeconds * 30, 30) + 1;
            assertEquals(expectedX, frame.bodies().get(0).joints()[0], 1e-4, "frame " + k);
            assertEquals(START + Math.round(contentSeconds / 2 * 1e6), frame.captureTimeMicros(), 1);
        }
    }

    @Test
    void shouldDropJitterAndStopAtTheDurationWhenLooping() {
        PoseSequence ramp = Sequences.ramp("r", "wave", 30, 30, 25);
        ListSink sink = new ListSink();
        ReplayOptions options = new ReplayOptions(1, "cam", Optional.empty(), 1.0, 20, 0.25, true,
                Optional.of(Duration.ofSeconds(10)), 7);

        ReplayStatistics done = new PoseReplayer(List.of(ramp), options, new Sequences.VirtualClock(START),
                new GroundTruthTimeline()).run(sink, s -> { });

        assertEquals(300, done.framesPublished() + done.framesDropped(), "10 s at 30 fps, looping");
        assertTrue(done.framesDropped() > 40 && done.framesDropped() < 110, "about a quarter dropped: "
                + done.framesDropped());
        assertEquals(10, done.sequencesStarted());
        long maxJitter = 0;
        boolean outOfOrder = false;
        for (int i = 0; i < sink.frames.size(); i++) {
            ReplayFrame frame = sink.frames.get(i);
            long scheduled = START + Math.round(frame.sequence() * 1e6 / 30);
            maxJitter = Math.max(maxJitter, Math.abs(frame.captureTimeMicros() - scheduled));
            if (i > 0 && frame.captureTimeMicros() < sink.frames.get(i - 1).captureTimeMicros()) {
                outOfOrder = true;
            }
            assertTrue(i == 0 || frame.sequence() > sink.frames.get(i - 1).sequence(), "gaps, never repeats");
        }
        assertTrue(maxJitter <= 20_000 && maxJitter > 10_000, "jitter within +-20 ms: " + maxJitter);
        assertTrue(outOfOrder, "20 ms jitter at 33 ms per frame puts some frames out of capture order");
    }

    @Test
    void shouldLeaveAbsentPersonsOutAndNotInterpolateAbsentJoints() {
        // Person 1 appears only in frame 1; joint 1 of person 0 is absent in frame 0.
        int joints = 2;
        float[] xyz = new float[2 * 2 * joints * 3];
        PoseSequence base = new PoseSequence("p", "clap", "ntu25", 10, 2, 2, joints, xyz);
        xyz[base.offset(0, 0, 0)] = 1f;
        xyz[base.offset(1, 0, 0)] = 2f;
        xyz[base.offset(1, 0, 1)] = 5f;
        xyz[base.offset(1, 1, 0)] = 9f;

        List<ReplayFrame.Body> quarter = DeviceFeed.bodiesAt(base, 0.025, 0); // 25 % of the way to frame 1
        List<ReplayFrame.Body> threeQuarters = DeviceFeed.bodiesAt(base, 0.075, 0);

        assertEquals(1, quarter.size(), "person 1 still absent (nearer frame 0)");
        assertEquals(1.25f, quarter.get(0).joints()[0], 1e-6);
        assertEquals(0f, quarter.get(0).joints()[3], "absent in frame 0 and nearer to it: stays absent");
        assertEquals(2, threeQuarters.size());
        assertEquals(5f, threeQuarters.get(0).joints()[3], "nearer frame 1's value, not interpolated from zero");
        assertEquals(2, threeQuarters.get(1).trackId());
    }
}
