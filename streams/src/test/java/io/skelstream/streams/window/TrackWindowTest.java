package io.skelstream.streams.window;

import static io.skelstream.streams.topology.Frames.body;
import static io.skelstream.streams.topology.Frames.ntu25;
import static io.skelstream.streams.topology.Frames.ntu25Frame;
import static io.skelstream.streams.topology.PipelineHarness.T0_MICROS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skelstream.schemas.avro.ActionEvent;
import io.skelstream.schemas.avro.PoseFrame;
import io.skelstream.streams.events.Micros;
import io.skelstream.streams.topology.Frames;
import io.skelstream.streams.topology.PipelineHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The window rules, through the real topology and the probe model: the person's "wave" joint moves along a linear
 * ramp x(t) = RAMP_BASE + RAMP_SLOPE * (t - t0), so the model's wave logit is exactly the ramp's mean over the
 * window's sample times, and any error in ordering, interpolation or resampling shows in the event's confidence.
 */
class TrackWindowTest {

    static final long SPAN_MICROS = 233_334;
    static final long HOP_MICROS = 133_333;
    static final double RAMP_BASE = 2.0; // wave wins from the first window (p > 0.7)
    static final double RAMP_SLOPE = 2.0; // metres per second

    @TempDir
    Path stateDir;

    static long at(double fps, int frame) {
        return T0_MICROS + Math.round(frame * 1e6 / fps);
    }

    static float rampX(long micros) {
        return (float) (RAMP_BASE + RAMP_SLOPE * (micros - T0_MICROS) / 1e6);
    }

    static PoseFrame rampFrame(String device, long sequence, long micros) {
        return ntu25Frame(device, sequence, micros, body(1, ntu25(0f, rampX(micros), 0f)));
    }

    /** The probe model's wave probability for a ramp window ending at {@code endMicros} (mean of t_k = end - 3.5/30 s). */
    static double expectedWave(long endMicros) {
        double meanSeconds = (endMicros - T0_MICROS) / 1e6 - 3.5 / 30;
        return Frames.softmax(0, RAMP_BASE + RAMP_SLOPE * meanSeconds, 0, 0)[1];
    }

    static void assertRampEvents(List<ActionEvent> events, long firstEnd) {
        assertTrue(!events.isEmpty());
        for (int k = 0; k < events.size(); k++) {
            ActionEvent event = events.get(k);
            long end = firstEnd + k * HOP_MICROS;
            assertEquals(end, Micros.of(event.getWindowEnd()), "window " + k);
            assertEquals("wave", event.getLabel());
            assertEquals(expectedWave(end), event.getConfidence(), 2e-6, "window " + k + " ending " + end);
        }
    }

    @Test
    void shouldResampleDevicesAt15And25And30And60FpsToTheSameWindows() {
        for (double fps : new double[] {15, 25, 30, 60}) {
            try (PipelineHarness pipeline = new PipelineHarness(Map.of(), stateDir.resolve("fps" + fps))) {
                // given a device at this frame rate sending one second of the ramp
                int frames = (int) fps + 1;
                for (int i = 0; i < frames; i++) {
                    pipeline.send(rampFrame("cam-" + fps, i, at(fps, i)));
                }
                // then windows end at the model's times (not the device's) and hold the ramp's exact mean
                List<ActionEvent> events = pipeline.actions.readValuesToList();
                assertEquals(6, events.size(), fps + " fps: " + events.size() + " windows");
                assertRampEvents(events, T0_MICROS + SPAN_MICROS);
            }
        }
    }

    @Test
    void shouldEndAWindowOnTheFrameJustBeforeItsNominalEndInsteadOfWaitingForTheNextFrame() {
        // given a 30 fps device whose capture times run 1 ms early (millisecond clocks, jitter), so the frame nearest
        // each nominal window end is just before it
        for (String snap : new String[] {"", "0"}) {
            try (PipelineHarness pipeline = new PipelineHarness(Map.of("window.end.snap.ms", snap),
                    stateDir.resolve("snap" + snap))) {
                List<ActionEvent> events = new ArrayList<>();
                List<Integer> dueOnFrame = new ArrayList<>();
                for (int i = 0; i <= 30; i++) {
                    pipeline.send(rampFrame("cam-1", i, earlyFrame(i)));
                    for (ActionEvent event : pipeline.actions.readValuesToList()) {
                        events.add(event);
                        dueOnFrame.add(i);
                    }
                }
                assertEquals(6, events.size(), "snap '" + snap + "'");
                for (int k = 0; k < events.size(); k++) {
                    long nominal = T0_MICROS + SPAN_MICROS + k * HOP_MICROS;
                    long end = Micros.of(events.get(k).getWindowEnd());
                    if (snap.isEmpty() && k > 0) {
                        // then (the default: half of the probe model's 33 ms frame interval) each window but the
                        // segment's first ends on the frame before its nominal end and is out as that frame arrives
                        assertEquals(earlyFrame(7 + 4 * k), end, "window " + k);
                        assertEquals(7 + 4 * k, dueOnFrame.get(k), "window " + k);
                    } else {
                        // a snap of 0, or the first window (its first sample must not precede the first frame): the
                        // window ends at its nominal end and waits for the frame after it
                        assertEquals(nominal, end, "snap '" + snap + "' window " + k);
                        assertEquals(8 + 4 * k, dueOnFrame.get(k), "snap '" + snap + "' window " + k);
                    }
                    assertEquals(expectedWave(end), events.get(k).getConfidence(), 2e-6, "window " + k);
                }
            }
        }
    }

    /** Frame {@code i} of a 30 fps device whose clock runs 1 ms early (but for its first frame, the track's start). */
    static long earlyFrame(int i) {
        return i == 0 ? T0_MICROS : at(30, i) - 1000;
    }

    @Test
    void shouldPutFramesArrivingOutOfOrderWithinTheToleranceBackInOrder() {
        try (PipelineHarness pipeline = new PipelineHarness(Map.of("window.reorder.tolerance.ms", "100"),
                stateDir)) {
            // given frames where every pair arrives swapped (33 ms out of order)
            for (int i = 0; i < 32; i += 2) {
                pipeline.send(rampFrame("cam-1", i + 1, at(30, i + 1)));
                pipeline.send(rampFrame("cam-1", i, at(30, i)));
            }
            // then every window is as if the frames had arrived in order; windows wait for the tolerance
            List<ActionEvent> events = pipeline.actions.readValuesToList();
            assertEquals(6, events.size());
            assertRampEvents(events, T0_MICROS + SPAN_MICROS);
            assertEquals(16.0, pipeline.metric("skelstream_frames_reordered"));
            assertEquals(0.0, pipeline.metric("skelstream_frames_late"));
        }
    }

    @Test
    void shouldDropAndCountDuplicateFrames() {
        try (PipelineHarness pipeline = new PipelineHarness(Map.of("window.reorder.tolerance.ms", "100"),
                stateDir)) {
            for (int i = 0; i < 30; i++) {
                pipeline.send(rampFrame("cam-1", i, at(30, i)));
                if (i % 5 == 0) {
                    // the same frame again (a producer retry): same device sequence
                    pipeline.send(rampFrame("cam-1", i, at(30, i)));
                }
                if (i % 7 == 3) {
                    // a new sequence number but the same track and capture time, with other values
                    pipeline.send(ntu25Frame("cam-1", 1000 + i, at(30, i), body(1, ntu25(9f, 9f, 9f))));
                }
            }
            List<ActionEvent> events = pipeline.actions.readValuesToList();
            assertRampEvents(events, T0_MICROS + SPAN_MICROS);
            assertEquals(6 + 4.0, pipeline.metric("skelstream_frames_duplicate"));
            assertTrue(pipeline.deadLetters.isEmpty());
        }
    }

    @Test
    void shouldInterpolateShortGapsExactly() {
        try (PipelineHarness pipeline = new PipelineHarness(Map.of("window.max.gap.ms", "500"), stateDir)) {
            // given frames 9..17 (300 ms) dropped by the network
            for (int i = 0; i < 31; i++) {
                if (i < 9 || i > 17) {
                    pipeline.send(rampFrame("cam-1", i, at(30, i)));
                }
            }
            // then no window is missing and the gap is bridged by interpolation (exact on a ramp)
            List<ActionEvent> events = pipeline.actions.readValuesToList();
            assertEquals(6, events.size());
            assertRampEvents(events, T0_MICROS + SPAN_MICROS);
            assertEquals(0.0, pipeline.metric("skelstream_window_restarts"));
        }
    }

    @Test
    void shouldRestartTheWindowAfterALongGap() {
        try (PipelineHarness pipeline = new PipelineHarness(Map.of("window.max.gap.ms", "500"), stateDir)) {
            // given half a second of frames, then nothing for 1.5 s, then frames again
            for (int i = 0; i <= 15; i++) {
                pipeline.send(rampFrame("cam-1", i, at(30, i)));
            }
            long resume = at(30, 15) + 1_500_000;
            for (int i = 0; i <= 15; i++) {
                pipeline.send(rampFrame("cam-1", 100 + i, resume + Math.round(i * 1e6 / 30)));
            }
            // then the old segment's windows end by its last frame, and the new ones start a span after the resume:
            // no window reaches across the gap
            List<ActionEvent> events = pipeline.actions.readValuesToList();
            List<ActionEvent> before = new ArrayList<>();
            List<ActionEvent> after = new ArrayList<>();
            for (ActionEvent event : events) {
                (Micros.of(event.getWindowEnd()) <= at(30, 15) ? before : after).add(event);
            }
            assertEquals(3, before.size());
            assertRampEvents(before, T0_MICROS + SPAN_MICROS);
            assertEquals(3, after.size());
            assertEquals(resume + SPAN_MICROS, Micros.of(after.get(0).getWindowEnd()));
            assertTrue(Micros.of(after.get(0).getWindowStart()) >= resume);
            assertEquals(1.0, pipeline.metric("skelstream_window_restarts"));
        }
    }

    @Test
    void shouldMapKinectV1FramesOntoTheNtu25Model() {
        try (PipelineHarness pipeline = new PipelineHarness(Map.of(), stateDir)) {
            // given a Kinect v1 device whose ShoulderCenter (v1 joint 2) is far to the right; ntu25 calls it
            // SpineShoulder (joint 20), the probe's "reach" joint, while v1's joint 2 index is ntu25's Neck
            for (int i = 0; i < 12; i++) {
                float[] joints = Frames.uniform(20, 0.5f);
                joints[2 * 3] = 6f;
                pipeline.send(Frames.frame("kinect-1", i, at(30, i), "kinect_v1_20", body(1, joints)));
            }
            // then the frames reached the model in ntu25 order: "reach" wins with the mapped values
            List<ActionEvent> events = pipeline.actions.readValuesToList();
            assertEquals(2, events.size());
            for (ActionEvent event : events) {
                assertEquals("reach", event.getLabel());
                assertEquals(Frames.softmax(0.5, 0.5, 6, 0)[2], event.getConfidence(), 1e-6);
            }
            assertTrue(pipeline.deadLetters.isEmpty());
        }
    }

    @Test
    void shouldGiveATwoPersonModelTheNearestOtherTrackAsSecondPerson() {
        try (PipelineHarness pipeline = new PipelineHarness(Map.of(), stateDir)) {
            // given three people: track 1 at z+0, track 2 half a metre away, track 3 three metres away;
            // the probe's "pair" logit is the second person's idle-joint x
            for (int i = 0; i < 12; i++) {
                pipeline.send(ntu25Frame("cam-1", i, at(30, i),
                        body(1, shifted(ntu25(1f, 0f, 0f), 0f)),
                        body(2, shifted(ntu25(4f, 0f, 0f), 0.5f)),
                        body(3, shifted(ntu25(-4f, 0f, 0f), 3f))));
            }
            // then each track's second person is its nearest neighbour
            List<ActionEvent> events = pipeline.actions.readValuesToList();
            assertEquals(6, events.size());
            for (ActionEvent event : events) {
                double[] expected = switch ((int) event.getTrackId()) {
                    case 1 -> Frames.softmax(1, 0, 0, 4);   // nearest is track 2
                    case 2 -> Frames.softmax(4, 0, 0, 1);   // nearest is track 1
                    default -> Frames.softmax(-4, 0, 0, 4); // nearest is track 2
                };
                int top = event.getTrackId() == 2 ? 0 : 3;
                assertEquals(expected[top], event.getConfidence(), 1e-6, "track " + event.getTrackId());
            }
        }
    }

    @Test
    void shouldExpireSilentTracksAndStartThemAfresh() {
        try (PipelineHarness pipeline = new PipelineHarness(Map.of("track.inactivity.timeout.ms", "2000"),
                stateDir)) {
            // given a track with frames in the store
            for (int i = 0; i < 12; i++) {
                pipeline.send(rampFrame("cam-1", i, at(30, i)));
            }
            assertEquals(1.0, pipeline.metric("skelstream_active_tracks"));
            assertTrue(count(pipeline.driver.getKeyValueStore(TrackWindowProcessor.FRAMES_STORE)) > 0);

            // when the track is silent for longer than the inactivity timeout
            pipeline.advanceWallClock(Duration.ofMillis(2500));

            // then its frames and state are freed
            assertEquals(0.0, pipeline.metric("skelstream_active_tracks"));
            assertEquals(1.0, pipeline.metric("skelstream_tracks_expired"));
            assertEquals(0, count(pipeline.driver.getKeyValueStore(TrackWindowProcessor.FRAMES_STORE)));
            assertEquals(0, count(pipeline.driver.getKeyValueStore(TrackWindowProcessor.TRACKS_STORE)));
            assertEquals(0, count(pipeline.driver.getKeyValueStore(TrackWindowProcessor.DEVICES_STORE)));

            // and when it comes back (even within the max gap) its windows start afresh
            pipeline.actions.readValuesToList();
            long back = at(30, 12);
            for (int i = 0; i < 12; i++) {
                pipeline.send(rampFrame("cam-1", 12 + i, back + Math.round(i * 1e6 / 30)));
            }
            List<ActionEvent> events = pipeline.actions.readValuesToList();
            assertEquals(back + SPAN_MICROS, Micros.of(events.get(0).getWindowEnd()));
        }
    }

    @Test
    void shouldInferTheLastWindowsOfATrackThatGoesSilent() {
        try (PipelineHarness pipeline = new PipelineHarness(Map.of("track.inactivity.timeout.ms", "2000",
                "window.reorder.tolerance.ms", "100"), stateDir)) {
            // given frames up to 766.7 ms: the window ending there is within the reorder tolerance of the newest
            // frame, so it is not due while more frames may still come
            for (int i = 0; i <= 23; i++) {
                pipeline.send(rampFrame("cam-1", i, at(30, i)));
            }
            List<ActionEvent> events = new ArrayList<>(pipeline.actions.readValuesToList());
            assertEquals(4, events.size());

            // when the track goes silent and expires
            pipeline.advanceWallClock(Duration.ofMillis(2500));

            // then that last window is inferred before the track's frames are freed
            events.addAll(pipeline.actions.readValuesToList());
            assertEquals(5, events.size());
            assertRampEvents(events, T0_MICROS + SPAN_MICROS);
        }
    }

    @Test
    void shouldFreeTheLeastRecentlySeenTrackOfADeviceAtItsTrackLimit() {
        try (PipelineHarness pipeline = new PipelineHarness(Map.of("track.max.per.device", "2"), stateDir)) {
            pipeline.send(ntu25Frame("cam-1", 0, at(30, 0), body(1, ntu25(0f, 1f, 0f))));
            pipeline.advanceWallClock(Duration.ofMillis(10));
            pipeline.send(ntu25Frame("cam-1", 1, at(30, 1), body(2, ntu25(0f, 1f, 0f))));
            pipeline.advanceWallClock(Duration.ofMillis(10));
            pipeline.send(ntu25Frame("cam-1", 2, at(30, 2), body(3, ntu25(0f, 1f, 0f))));

            assertEquals(2.0, pipeline.metric("skelstream_active_tracks"));
            assertEquals(1.0, pipeline.metric("skelstream_tracks_expired"));
            KeyValueStore<Object, Object> tracks = pipeline.driver.getKeyValueStore(TrackWindowProcessor.TRACKS_STORE);
            byte[] device = TrackKeys.deviceKey("cam-1");
            assertEquals(null, tracks.get(TrackKeys.trackKey(device, 1)));
            assertTrue(tracks.get(TrackKeys.trackKey(device, 3)) != null);
        }
    }

    static float[] shifted(float[] joints, float dz) {
        for (int j = 2; j < joints.length; j += 3) {
            joints[j] += dz;
        }
        return joints;
    }

    static int count(KeyValueStore<Object, Object> store) {
        int n = 0;
        try (KeyValueIterator<Object, Object> it = store.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }
}
