package io.skelstream.streams.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PipelineMetricsTest {

    @Test
    void shouldExposeEveryPipelineMetricUnderItsDocumentedName() throws Exception {
        // given a registry with the pipeline's metrics, each touched once
        PrometheusRegistry registry = new PrometheusRegistry();
        PipelineMetrics metrics = new PipelineMetrics(registry);
        metrics.frameIn();
        metrics.deadLetter("NON_FINITE");
        metrics.lateFrame();
        metrics.duplicateFrame();
        metrics.reorderedFrame();
        metrics.windowRestart();
        metrics.trackExpired();
        metrics.activeTracksChanged(3);
        metrics.batchInferred(12, 4_000_000);
        metrics.eventEmitted("wave", 150);
        metrics.windowDue(28);
        metrics.windowBatched(40);
        metrics.windowForwarded(95);
        metrics.alertEmitted("fall", "RAISED");

        // when it is scraped in the Prometheus text format
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        String text = out.toString(StandardCharsets.UTF_8);

        // then every documented series is there, with no device label
        for (String series : new String[] {
            "skelstream_frames_in_total 1.0",
            "skelstream_dead_letters_total{kind=\"NON_FINITE\"} 1.0",
            "skelstream_frames_late_total 1.0",
            "skelstream_frames_duplicate_total 1.0",
            "skelstream_frames_reordered_total 1.0",
            "skelstream_window_restarts_total 1.0",
            "skelstream_tracks_expired_total 1.0",
            "skelstream_active_tracks 3.0",
            "skelstream_windows_inferred_total 12.0",
            "skelstream_inference_batch_size_bucket{le=\"16.0\"} 1",
            "skelstream_inference_latency_seconds_bucket{le=\"0.005\"} 1",
            "skelstream_event_latency_seconds_bucket{le=\"0.2\"} 1",
            "skelstream_window_stage_latency_seconds_bucket{stage=\"due\",le=\"0.03\"} 1",
            "skelstream_window_stage_latency_seconds_bucket{stage=\"batched\",le=\"0.035\"} 0",
            "skelstream_window_stage_latency_seconds_bucket{stage=\"batched\",le=\"0.04\"} 1",
            "skelstream_window_stage_latency_seconds_bucket{stage=\"forwarded\",le=\"0.1\"} 1",
            "skelstream_events_total{label=\"wave\"} 1.0",
            "skelstream_alerts_total{rule=\"fall\",state=\"RAISED\"} 1.0",
            // kinds not seen yet are exposed at 0
            "skelstream_dead_letters_total{kind=\"TRUNCATED\"} 0.0",
            "skelstream_dead_letters_total{kind=\"OTHER\"} 0.0",
        }) {
            assertTrue(text.contains(series), series + " in\n" + text);
        }
        assertTrue(!text.contains("device="), text);
    }
}
