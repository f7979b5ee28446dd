package io.skelstream.it.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The PromQL name extractor the metric-name checks of the compose stack rely on. */
class PromQlMetricNamesTest {

    @Test
    void shouldFindTheBucketSeriesOfAHistogramQuantileAndNotItsFunctionsOrLabels() {
        String expr = "histogram_quantile(0.99,\n  sum by (job, instance, le) "
                + "(rate(skelstream_inference_latency_seconds_bucket{instance=~\"$instance\", le!=\"\"}[$__rate_interval]))) > 0.2";
        assertEquals(Set.of("skelstream_inference_latency_seconds_bucket"), PromQlMetricNames.of(expr));
        assertEquals(Set.of("skelstream_inference_latency_seconds_bucket"), PromQlMetricNames.countedBy(expr));
    }

    @Test
    void shouldFindBothSidesOfABinaryOperationWithModifiers() {
        String expr = "sum by (job, instance) (rate(skelstream_dead_letters_total[5m])) / on (job, instance) group_left "
                + "sum without (kind) (increase(skelstream_frames_in_total[5m] offset -1h30m)) > bool 1e-3 unless up == 0";
        assertEquals(List.of("skelstream_dead_letters_total", "skelstream_frames_in_total", "up"),
                List.copyOf(PromQlMetricNames.of(expr)));
        assertEquals(Set.of("skelstream_dead_letters_total", "skelstream_frames_in_total"),
                PromQlMetricNames.countedBy(expr));
    }

    @Test
    void shouldTellGaugesReadDirectlyFromCountersReadThroughRate() {
        String expr = "sum(skelstream_active_tracks) and max_over_time(kafka_streams_stream_alive_stream_threads[5m]) "
                + "or irate(jvm_gc_collection_seconds_count[1m])";
        assertEquals(Set.of("skelstream_active_tracks", "kafka_streams_stream_alive_stream_threads",
                "jvm_gc_collection_seconds_count"), PromQlMetricNames.of(expr));
        assertEquals(Set.of("jvm_gc_collection_seconds_count"), PromQlMetricNames.countedBy(expr));
    }

    @Test
    void shouldIgnoreStringsNumbersVariablesAndKeywords() {
        String expr = "label_replace(ALERTS{alertstate=\"firing\", job=~'skel.*'}, \"dst\", \"$1\", \"src\", \"(.*)\")"
                + " or vector(0x1F) * Inf + NaN - 0.5e+3 and ${threshold} < .25";
        assertEquals(Set.of("ALERTS"), PromQlMetricNames.of(expr));
    }

    @Test
    void shouldReadTheNameMatcherOfANamelessSelector() {
        assertEquals(Set.of("skelstream_events_total"),
                PromQlMetricNames.of("sum by (label) (rate({__name__=\"skelstream_events_total\", label!=\"\"}[1m]))"));
    }

    @Test
    void shouldKeepRecordingRuleStyleNamesWithColons() {
        assertEquals(Set.of("job:skelstream_frames_in:rate5m"),
                PromQlMetricNames.of("sum(job:skelstream_frames_in:rate5m) by (job)"));
    }
}
