package io.skelstream.streams.alerts;

import static io.skelstream.streams.topology.BlockFeed.IDLE;
import static io.skelstream.streams.topology.BlockFeed.MEDIUM_WAVE;
import static io.skelstream.streams.topology.BlockFeed.WAVE;
import static io.skelstream.streams.topology.BlockFeed.windowEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skelstream.schemas.avro.Alert;
import io.skelstream.schemas.avro.AlertSeverity;
import io.skelstream.schemas.avro.AlertState;
import io.skelstream.streams.events.Micros;
import io.skelstream.streams.topology.BlockFeed;
import io.skelstream.streams.topology.PipelineHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each rule shape through the real topology. Windows are one block of 8 frames each, a hop of 266.667 ms; window k
 * spans [end_k - 233.334 ms, end_k].
 */
class AlertRulesTopologyTest {

    @TempDir
    Path stateDir;

    private PipelineHarness pipeline(String rulesJson) {
        return new PipelineHarness(Map.of("window.hop.frames", BlockFeed.HOP_FRAMES,
                "track.inactivity.timeout.ms", "5000"), AlertRules.parse(rulesJson, "test"), stateDir);
    }

    @Test
    void shouldRaiseAfterAContinuousDurationAndClearWithHysteresis() {
        String rules = """
                {"rules": [{"id": "long-wave", "labels": ["wave"], "severity": "CRITICAL",
                  "min_confidence": 0.6, "min_duration_ms": 1000,
                  "clear_confidence": 0.4, "clear_after_ms": 500}]}""";
        try (PipelineHarness pipeline = pipeline(rules)) {
            // given a person waving for six windows, then barely waving (p 0.5: between clear and raise), then idle
            BlockFeed feed = new BlockFeed(pipeline, "cam-1", 1);
            feed.blocks(WAVE, WAVE, WAVE, WAVE, WAVE, WAVE, MEDIUM_WAVE, MEDIUM_WAVE, IDLE, IDLE, IDLE, IDLE);
            feed.close(IDLE);

            List<Alert> alerts = pipeline.alerts.readValuesToList();
            assertEquals(2, alerts.size(), alerts.toString());
            // then it is raised once 1 s of waving lies between the first window's start and a window's end (k = 3)
            Alert raised = alerts.get(0);
            assertEquals(AlertState.RAISED, raised.getState());
            assertEquals("long-wave", raised.getRuleId());
            assertEquals("cam-1", raised.getDeviceId());
            assertEquals(1L, raised.getTrackId());
            assertEquals("wave", raised.getLabel());
            assertEquals(AlertSeverity.CRITICAL, raised.getSeverity());
            assertEquals(windowEnd(0) - BlockFeed.SPAN_MICROS, Micros.of(raised.getStartedAt()));
            assertEquals(windowEnd(3), Micros.of(raised.getRaisedAt()));
            assertNull(raised.getClearedAt());
            assertEquals(4, raised.getEvidence().size());
            assertEquals(windowEnd(3), Micros.of(raised.getEvidence().get(3).getWindowEnd()));
            assertTrue(raised.getEvidence().get(0).getConfidence() > 0.9f);

            // and the medium windows (0.5 >= clear 0.4) keep it raised; it clears 500 ms into the idle stretch
            Alert cleared = alerts.get(1);
            assertEquals(AlertState.CLEARED, cleared.getState());
            assertEquals(windowEnd(3), Micros.of(cleared.getRaisedAt()));
            assertEquals(windowEnd(10), Micros.of(cleared.getClearedAt()));
            assertEquals(3, cleared.getEvidence().size());
            assertTrue(cleared.getEvidence().stream().allMatch(e -> e.getConfidence() < 0.4f));
            assertEquals(1.0, pipeline.metric("skelstream_alerts", "rule", "long-wave", "state", "RAISED"));
            assertEquals(1.0, pipeline.metric("skelstream_alerts", "rule", "long-wave", "state", "CLEARED"));
        }
    }

    @Test
    void shouldNotRaiseAContinuousRuleWhenTheRunIsInterrupted() {
        String rules = """
                {"rules": [{"id": "long-wave", "labels": ["wave"], "min_confidence": 0.6, "min_duration_ms": 1000}]}""";
        try (PipelineHarness pipeline = pipeline(rules)) {
            BlockFeed feed = new BlockFeed(pipeline, "cam-1", 1);
            feed.blocks(WAVE, WAVE, WAVE, IDLE, WAVE, WAVE, WAVE, IDLE);
            feed.close(IDLE);
            assertTrue(pipeline.alerts.isEmpty());
        }
    }

    @Test
    void shouldRaiseOnCumulativeDurationWithinARollingPeriod() {
        String rules = """
                {"rules": [{"id": "often-wave", "labels": ["wave", "reach"], "min_confidence": 0.6,
                  "cumulative": {"min_ms": 1000, "period_ms": 3000}}]}""";
        try (PipelineHarness pipeline = pipeline(rules)) {
            // given waving every other window: never 1 s at a stretch, but 1 s in total by window 6
            BlockFeed feed = new BlockFeed(pipeline, "cam-1", 1);
            feed.blocks(WAVE, IDLE, WAVE, IDLE, WAVE, IDLE, WAVE, IDLE);
            feed.close(IDLE);

            List<Alert> alerts = pipeline.alerts.readValuesToList();
            assertEquals(2, alerts.size(), alerts.toString());
            Alert raised = alerts.get(0);
            assertEquals(AlertState.RAISED, raised.getState());
            // (no clear_after_ms: the next idle window clears it)
            assertEquals(AlertState.CLEARED, alerts.get(1).getState());
            assertEquals(windowEnd(7), Micros.of(alerts.get(1).getClearedAt()));
            // active time: 233 ms (window 0) + 3 x 267 ms (windows 2, 4, 6) = 1033 ms >= 1000 ms
            assertEquals(windowEnd(6), Micros.of(raised.getRaisedAt()));
            assertEquals(windowEnd(0) - BlockFeed.SPAN_MICROS, Micros.of(raised.getStartedAt()));
            assertEquals(4, raised.getEvidence().size());
            assertEquals(AlertSeverity.WARNING, raised.getSeverity());
        }
    }

    @Test
    void shouldForgetActiveTimeOlderThanThePeriod() {
        String rules = """
                {"rules": [{"id": "often-wave", "labels": ["wave"], "min_confidence": 0.6,
                  "cumulative": {"min_ms": 1000, "period_ms": 1500}}]}""";
        try (PipelineHarness pipeline = pipeline(rules)) {
            // the same pattern, but within any 1.5 s only about 0.8 s is active
            BlockFeed feed = new BlockFeed(pipeline, "cam-1", 1);
            feed.blocks(WAVE, IDLE, WAVE, IDLE, WAVE, IDLE, WAVE, IDLE, WAVE, IDLE);
            feed.close(IDLE);
            assertTrue(pipeline.alerts.isEmpty());
        }
    }

    @Test
    void shouldNotRaiseAgainWithinTheCooldown() {
        String rules = """
                {"rules": [{"id": "any-wave", "labels": ["wave"], "min_confidence": 0.6, "cooldown_ms": 2000}]}""";
        try (PipelineHarness pipeline = pipeline(rules)) {
            // given a rule raised by a single window, cleared by the next, and waving every other window
            BlockFeed feed = new BlockFeed(pipeline, "cam-1", 1);
            feed.blocks(WAVE, IDLE, WAVE, IDLE, WAVE, IDLE, WAVE, IDLE, WAVE, IDLE);
            feed.close(IDLE);

            // then windows 2, 4 and 6 fall within 2 s of the raise at window 0; window 8 raises again
            List<Alert> alerts = pipeline.alerts.readValuesToList();
            assertEquals(List.of(AlertState.RAISED, AlertState.CLEARED, AlertState.RAISED, AlertState.CLEARED),
                    alerts.stream().map(Alert::getState).toList());
            assertEquals(windowEnd(0), Micros.of(alerts.get(0).getRaisedAt()));
            assertEquals(windowEnd(1), Micros.of(alerts.get(1).getClearedAt()));
            assertEquals(windowEnd(8), Micros.of(alerts.get(2).getRaisedAt()));
            assertEquals(windowEnd(9), Micros.of(alerts.get(3).getClearedAt()));
        }
    }

    @Test
    void shouldClearRaisedAlertsWhenTheTrackEnds() {
        String rules = """
                {"rules": [{"id": "any-wave", "labels": ["wave"], "min_confidence": 0.6}]}""";
        try (PipelineHarness pipeline = pipeline(rules)) {
            BlockFeed feed = new BlockFeed(pipeline, "cam-1", 1);
            feed.blocks(WAVE, WAVE);
            feed.close(WAVE);
            assertEquals(1, pipeline.alerts.readValuesToList().size());

            // when the person leaves and the track expires
            pipeline.advanceWallClock(Duration.ofSeconds(6));

            // then the raised alert is cleared at the track's last frame
            List<Alert> alerts = pipeline.alerts.readValuesToList();
            assertEquals(1, alerts.size());
            assertEquals(AlertState.CLEARED, alerts.get(0).getState());
            assertEquals(BlockFeed.frameMicros(feed.framesSent() - 1), Micros.of(alerts.get(0).getClearedAt()));
        }
    }
}
