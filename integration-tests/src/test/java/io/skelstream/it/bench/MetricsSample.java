package io.skelstream.it.bench;

import io.skelstream.it.harness.MetricsPage;
import io.skelstream.it.harness.SkelStreamProcess;

/**
 * One reading of the app's {@code /metrics}: the pipeline counters the benchmarks need, at a monotonic time.
 *
 * @param nanos          {@link System#nanoTime()} when the page was read
 * @param framesIn       skelstream_frames_in_total
 * @param windows        skelstream_windows_inferred_total
 * @param batchSizeSum   skelstream_inference_batch_size_sum (windows in all batches)
 * @param batchCount     skelstream_inference_batch_size_count (encoder runs)
 * @param windowsShed    skelstream_windows_shed_total (due windows dropped as too old, batch.shed.age.ms)
 */
record MetricsSample(long nanos, double framesIn, double windows, double batchSizeSum, double batchCount,
                     double windowsShed) {

    static MetricsSample read(SkelStreamProcess app) {
        String page = app.get("/metrics");
        long now = System.nanoTime();
        if (page == null) {
            throw new IllegalStateException("/metrics did not answer\n" + app.jvm().logTail());
        }
        return new MetricsSample(now,
                MetricsPage.value(page, "skelstream_frames_in_total").orElse(0),
                MetricsPage.value(page, "skelstream_windows_inferred_total").orElse(0),
                MetricsPage.value(page, "skelstream_inference_batch_size_sum").orElse(0),
                MetricsPage.value(page, "skelstream_inference_batch_size_count").orElse(0),
                MetricsPage.value(page, "skelstream_windows_shed_total").orElse(0));
    }

    double secondsSince(MetricsSample earlier) {
        return (nanos - earlier.nanos) / 1e9;
    }
}
