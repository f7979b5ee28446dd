package io.skelstream.streams.topology;

import static io.skelstream.streams.topology.Frames.body;
import static io.skelstream.streams.topology.Frames.ntu25;
import static io.skelstream.streams.topology.Frames.ntu25Frame;
import static io.skelstream.streams.topology.PipelineHarness.T0_MICROS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.skelstream.encoder.ActionEncoder;
import io.skelstream.encoder.EncoderOptions;
import io.skelstream.encoder.ExecutionProvider;
import io.skelstream.encoder.ModelSource;
import io.skelstream.schemas.avro.ActionEvent;
import io.skelstream.streams.alerts.AlertRules;
import io.skelstream.streams.config.ConfigException;
import io.skelstream.streams.config.SkelStreamConfig;
import io.skelstream.streams.metrics.PipelineMetrics;
import io.skelstream.streams.events.Micros;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkelStreamTopologyTest {

    /** Probe model: T = 8 frames at 30 fps, so a window spans 7/30 s; the tests' hop is 4 model frames. */
    static final long SPAN_MICROS = 233_334;
    static final long HOP_MICROS = 133_333;

    @TempDir
    Path stateDir;

    static long at30fps(int frame) {
        return T0_MICROS + Math.round(frame * 1e6 / 30);
    }

    @Test
    void shouldEmitOneEventPerHopOnceAFullWindowOfFramesIsPresent() {
        try (PipelineHarness pipeline = new PipelineHarness(Map.of(), stateDir)) {
            // given a device tracking one person who waves (probe joint "wave" far to the right)
            // when 20 frames at 30 fps arrive
            for (int i = 0; i < 20; i++) {
                pipeline.send(ntu25Frame("cam-1", i, at30fps(i), body(7, ntu25(0f, 6f, 0f))));
            }

            // then windows end at start + span, then every hop, up to the newest frame
            List<ActionEvent> events = pipeline.actions.readValuesToList();
            assertEquals(4, events.size(), events.toString());
            for (int k = 0; k < events.size(); k++) {
                ActionEvent event = events.get(k);
                long end = T0_MICROS + SPAN_MICROS + k * HOP_MICROS;
                assertEquals(end, Micros.of(event.getWindowEnd()), "window " + k);
                assertEquals(end - SPAN_MICROS, Micros.of(event.getWindowStart()), "window " + k);
                assertEquals("cam-1", event.getDeviceId());
                assertEquals(7L, event.getTrackId());
                assertEquals("wave", event.getLabel());
                double expected = Frames.softmax(0.5 * 0, 6, 0, 0)[1];
                assertEquals(expected, event.getConfidence(), 1e-5);
                assertEquals("probe-ntu25", event.getModelName());
                assertEquals(pipeline.encoder.description().sha256(), event.getModelSha256());
                assertEquals(PipelineHarness.WALL_START, event.getEmittedAt());
                assertEquals(3, event.getTopK().size());
                assertEquals("wave", event.getTopK().get(0).getLabel());
            }
            assertEquals(20.0, pipeline.metric("skelstream_frames_in"));
            assertEquals(4.0, pipeline.metric("skelstream_windows_inferred"));
            assertEquals(4.0, pipeline.metric("skelstream_events", "label", "wave"));
            assertEquals(4.0, pipeline.metric("skelstream_event_latency_seconds"));
            for (String stage : new String[] {"due", "batched", "forwarded"}) {
                // each window passed each stage of the latency decomposition once
                assertEquals(4.0, pipeline.metric("skelstream_window_stage_latency_seconds", "stage", stage), stage);
            }
            assertEquals(1.0, pipeline.metric("skelstream_active_tracks"));
            assertTrue(pipeline.deadLetters.isEmpty());
        }
    }

    @Test
    void shouldEmitTheSameEventsWhenTheEncoderRunsOnItsOwnThread(@TempDir Path otherStateDir) throws Exception {
        // given the same frames of two devices through the synchronous path and through the inference thread (batches
        // of at most 3: full batches are sent from process() while another is in flight, the rest by the punctuator)
        Map<String, String> threaded = Map.of(SkelStreamConfig.BATCH_INFERENCE_THREAD, "true",
                SkelStreamConfig.BATCH_MAX_SIZE, "3", SkelStreamConfig.BATCH_MAX_WAIT_MS, "10");
        List<String> expected;
        List<String> actual;
        try (PipelineHarness sync = new PipelineHarness(Map.of(), stateDir);
             PipelineHarness async = new PipelineHarness(threaded, otherStateDir)) {
            for (int i = 0; i < 30; i++) {
                for (String device : List.of("cam-1", "cam-2")) {
                    sync.send(ntu25Frame(device, i, at30fps(i), body(7, ntu25(0f, 6f + i % 3, 0f))));
                    async.send(ntu25Frame(device, i, at30fps(i), body(7, ntu25(0f, 6f + i % 3, 0f))));
                }
            }
            expected = describe(sync.actions.readValuesToList());

            // when the wall clock moves on until the inference thread's results are forwarded
            List<ActionEvent> events = new java.util.ArrayList<>(async.actions.readValuesToList());
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (events.size() < expected.size() && System.nanoTime() < deadline) {
                Thread.sleep(5);
                async.advanceWallClock(java.time.Duration.ofMillis(10));
                events.addAll(async.actions.readValuesToList());
            }
            actual = describe(events);
            assertEquals(sync.metric("skelstream_windows_inferred"), async.metric("skelstream_windows_inferred"));
        }

        // then the very same events, in the same order per device
        assertEquals(12, expected.size(), expected.toString());
        assertEquals(expected.stream().sorted().toList(), actual.stream().sorted().toList());
        for (String device : List.of("cam-1", "cam-2")) {
            assertEquals(expected.stream().filter(e -> e.startsWith(device)).toList(),
                    actual.stream().filter(e -> e.startsWith(device)).toList());
        }
    }

    @Test
    void shouldShedWindowsOlderThanTheShedAgeAndCountThem(@TempDir Path otherStateDir) {
        // given shedding at 30 s: the tests' frames are captured a minute before the driver's wall clock
        try (PipelineHarness stale = new PipelineHarness(Map.of(SkelStreamConfig.BATCH_SHED_AGE_MS, "30000"),
                stateDir);
             PipelineHarness fresh = new PipelineHarness(Map.of(SkelStreamConfig.BATCH_SHED_AGE_MS, "90000"),
                     otherStateDir)) {
            // when 20 frames at 30 fps arrive (4 windows due)
            for (int i = 0; i < 20; i++) {
                stale.send(ntu25Frame("cam-1", i, at30fps(i), body(7, ntu25(0f, 6f, 0f))));
                fresh.send(ntu25Frame("cam-1", i, at30fps(i), body(7, ntu25(0f, 6f, 0f))));
            }

            // then the minute-old windows are shed, counted, with no event; within the age they are inferred
            assertTrue(stale.actions.isEmpty());
            assertEquals(4.0, stale.metric("skelstream_windows_shed"));
            assertEquals(0.0, stale.metric("skelstream_windows_inferred"));
            assertEquals(4, fresh.actions.readValuesToList().size());
            assertEquals(0.0, fresh.metric("skelstream_windows_shed"));
            // and the track goes on: a window that is fresh again is inferred
            long now = PipelineHarness.WALL_START.toEpochMilli() * 1000;
            for (int i = 0; i < 12; i++) {
                stale.send(ntu25Frame("cam-1", 100 + i, now - 300_000 + Math.round(i * 1e6 / 30),
                        body(7, ntu25(0f, 6f, 0f))));
            }
            assertTrue(stale.metric("skelstream_windows_inferred") >= 1.0);
            assertEquals(stale.metric("skelstream_windows_inferred"), stale.actions.readValuesToList().size());
        }
    }

    private static List<String> describe(List<ActionEvent> events) {
        return events.stream().map(e -> e.getDeviceId() + " " + e.getTrackId() + " " + Micros.of(e.getWindowEnd())
                + " " + e.getLabel() + " " + e.getConfidence()).toList();
    }

    @Test
    void shouldRefuseAlertRulesNamingLabelsTheModelDoesNotHave() {
        try (ActionEncoder encoder = ActionEncoder.open(ModelSource.ofClasspath(PipelineHarness.MODEL),
                EncoderOptions.builder().provider(ExecutionProvider.CPU).intraOpThreads(1).build())) {
            AlertRules rules = AlertRules.parse("{\"rules\": [{\"id\": \"f\", \"labels\": [\"fall\"]}]}", "rules.json");
            ConfigException error = assertThrows(ConfigException.class, () -> SkelStreamTopology.buildTopology(
                    SkelStreamConfig.of(Map.of()), encoder, new PipelineMetrics(new PrometheusRegistry()), rules));
            assertTrue(error.getMessage().contains("[fall]"), error.getMessage());
            assertTrue(error.getMessage().contains("wave"), error.getMessage());
        }
    }

    @Test
    void shouldDescribeTheTopologyWithItsStoresAndTopics() {
        try (PipelineHarness pipeline = new PipelineHarness(Map.of("topic.poses", "in", "topic.actions", "out"),
                stateDir)) {
            String description = SkelStreamTopology.buildTopology(pipeline.config, pipeline.encoder,
                    new PipelineMetrics(new PrometheusRegistry())).describe().toString();
            for (String name : List.of("topics: [in]", "topic: out", "topic: skel.alerts", "topic: skel.poses.dlq",
                    "track-frames", "pending-windows", "track-state", "device-sequence", "track-smoothing",
                    "track-alerts")) {
                assertTrue(description.contains(name), name + " in " + description);
            }
        }
    }
}
