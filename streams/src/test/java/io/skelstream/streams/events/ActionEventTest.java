package io.skelstream.streams.events;

import static io.skelstream.streams.topology.BlockFeed.IDLE;
import static io.skelstream.streams.topology.BlockFeed.NOTHING;
import static io.skelstream.streams.topology.BlockFeed.WAVE;
import static io.skelstream.streams.topology.BlockFeed.probabilities;
import static io.skelstream.streams.topology.BlockFeed.windowEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skelstream.schemas.avro.ActionEvent;
import io.skelstream.streams.topology.BlockFeed;
import io.skelstream.streams.topology.PipelineHarness;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActionEventTest {

    static final double TOLERANCE = 1e-4;

    @TempDir
    Path stateDir;

    private PipelineHarness pipeline(String smoothing, String minConfidence, String emitMode) {
        return new PipelineHarness(Map.of("window.hop.frames", BlockFeed.HOP_FRAMES,
                "events.smoothing.windows", smoothing, "events.min.confidence", minConfidence,
                "events.emit.mode", emitMode), stateDir);
    }

    @Test
    void shouldAverageProbabilitiesOverTheLastWindows() {
        try (PipelineHarness pipeline = pipeline("3", "0.5", "every-hop")) {
            // given three windows of waving, then three of standing idle
            BlockFeed feed = new BlockFeed(pipeline, "cam-1", 1);
            feed.blocks(WAVE, WAVE, WAVE, IDLE, IDLE, IDLE);
            feed.close(IDLE);

            // then the label follows the mean of the last three windows' probabilities
            List<ActionEvent> events = pipeline.actions.readValuesToList();
            assertEquals(6, events.size());
            double[] wave = probabilities(WAVE);
            double[] idle = probabilities(IDLE);
            String[] labels = {"wave", "wave", "wave", "wave", "idle", "idle"};
            double[] confidence = {wave[1], wave[1], wave[1], (2 * wave[1] + idle[1]) / 3,
                    (2 * idle[0] + wave[0]) / 3, idle[0]};
            for (int k = 0; k < 6; k++) {
                assertEquals(labels[k], events.get(k).getLabel(), "window " + k);
                assertEquals(confidence[k], events.get(k).getConfidence(), TOLERANCE, "window " + k);
                assertEquals(windowEnd(k), Micros.of(events.get(k).getWindowEnd()));
            }
            // top-k is of the smoothed probabilities too
            assertEquals("idle", events.get(3).getTopK().get(1).getLabel());
            assertEquals((2 * wave[0] + idle[0]) / 3, events.get(3).getTopK().get(1).getScore(), TOLERANCE);
        }
    }

    @Test
    void shouldSendNoEventWhileBelowTheConfidenceThreshold() {
        try (PipelineHarness pipeline = pipeline("1", "0.5", "every-hop")) {
            // given windows where every label is equally likely (0.25), then a clear wave
            BlockFeed feed = new BlockFeed(pipeline, "cam-1", 1);
            feed.blocks(NOTHING, NOTHING, NOTHING, WAVE);
            feed.close(WAVE);

            // then the uncertain windows produce nothing at all, the confident one an event
            List<ActionEvent> events = pipeline.actions.readValuesToList();
            assertEquals(1, events.size());
            assertEquals("wave", events.get(0).getLabel());
            assertEquals(windowEnd(3), Micros.of(events.get(0).getWindowEnd()));
            assertEquals(4.0, pipeline.metric("skelstream_windows_inferred"));
            assertEquals(1.0, pipeline.metric("skelstream_events"));
        }
    }

    @Test
    void shouldEmitOnlyChangesOfLabelInOnChangeMode() {
        try (PipelineHarness pipeline = pipeline("1", "0.5", "on-change")) {
            BlockFeed feed = new BlockFeed(pipeline, "cam-1", 1);
            feed.blocks(WAVE, WAVE, IDLE, IDLE, NOTHING, WAVE, WAVE);
            feed.close(WAVE);

            // wave, idle, then wave again after a stretch of "no action" (which counts as a change)
            List<ActionEvent> events = pipeline.actions.readValuesToList();
            assertEquals(List.of("wave", "idle", "wave"), events.stream().map(ActionEvent::getLabel).toList());
            assertEquals(List.of(windowEnd(0), windowEnd(2), windowEnd(5)),
                    events.stream().map(e -> Micros.of(e.getWindowEnd())).toList());
        }
    }

    @Test
    void shouldKeepTracksApart() {
        try (PipelineHarness pipeline = pipeline("3", "0.5", "every-hop")) {
            // given two devices, one person waving and one idle, interleaved frame by frame
            BlockFeed waving = new BlockFeed(pipeline, "cam-1", 1);
            BlockFeed idle = new BlockFeed(pipeline, "cam-2", 2);
            for (int block = 0; block < 3; block++) {
                waving.blocks(WAVE);
                idle.blocks(IDLE);
            }
            waving.close(WAVE);
            idle.close(IDLE);
            List<ActionEvent> events = pipeline.actions.readValuesToList();
            assertEquals(6, events.size());
            for (ActionEvent event : events) {
                assertEquals(event.getTrackId() == 1 ? "wave" : "idle", event.getLabel());
            }
            assertTrue(events.stream().allMatch(e -> e.getConfidence() > 0.9));
        }
    }
}
