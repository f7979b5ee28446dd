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
            assertEquals(1.0, pipeline.metric("skelstream_active_tracks"));
            assertTrue(pipeline.deadLetters.isEmpty());
        }
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
