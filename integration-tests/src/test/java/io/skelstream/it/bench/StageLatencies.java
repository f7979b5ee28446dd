package io.skelstream.it.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a window's latency goes inside the app, between two readings of its {@code /metrics}: the percentiles of
 * {@code skelstream_window_stage_latency_seconds} per stage (window end to due / batched / forwarded; p50/p95/p99 as
 * the upper bound of the bucket holding that rank, so to within the bucket width, 5 ms below 50 ms and 10 ms to
 * 150 ms), and the stream threads' exactly-once commits over the same interval (Kafka Streams' own
 * {@code commit-total} and {@code commit-latency-avg}/{@code -max}).
 */
final class StageLatencies {

    static final String STAGE_BUCKETS = "skelstream_window_stage_latency_seconds_bucket{";
    static final String[] STAGES = {"due", "batched", "forwarded"};
    private static final String COMMIT_TOTAL = "kafka_streams_stream_thread_commit_total{";
    private static final String COMMIT_AVG = "kafka_streams_stream_thread_commit_latency_avg{";
    private static final String COMMIT_MAX = "kafka_streams_stream_thread_commit_latency_max{";

    private StageLatencies() {
    }

    /** One line: each stage's p50/p95/p99 and the commits, from {@code before} to {@code after} (two /metrics pages). */
    static String summary(String before, String after, double seconds) {
        StringBuilder text = new StringBuilder("window end to");
        for (String stage : STAGES) {
            TreeMap<Double, Double> counts = bucketDelta(before, after, stage);
            double total = counts.isEmpty() ? 0 : counts.lastEntry().getValue();
            if (total == 0) {
                continue;
            }
            text.append(String.format(" %s %s / %s / %s ms,", stage, rank(counts, 0.50), rank(counts, 0.95),
                    rank(counts, 0.99)));
        }
        double commits = sum(after, COMMIT_TOTAL) - sum(before, COMMIT_TOTAL);
        text.append(String.format(" (p50 / p95 / p99, bucket bounds); exactly-once commits %.1f/s, mean %.1f ms, max %.0f ms "
                + "(Kafka Streams' averages over its last 30 s)", commits / seconds, mean(after, COMMIT_AVG),
                max(after, COMMIT_MAX)));
        return text.toString();
    }

    /** Cumulative count per upper bound (seconds) of one stage, {@code after} minus {@code before}. */
    private static TreeMap<Double, Double> bucketDelta(String before, String after, String stage) {
        TreeMap<Double, Double> counts = new TreeMap<>();
        buckets(after, stage).forEach((le, n) -> counts.merge(le, n, Double::sum));
        buckets(before, stage).forEach((le, n) -> counts.merge(le, -n, Double::sum));
        return counts;
    }

    private static Map<Double, Double> buckets(String page, String stage) {
        Map<Double, Double> counts = new LinkedHashMap<>();
        String label = "stage=\"" + stage + "\"";
        for (String line : lines(page, STAGE_BUCKETS)) {
            if (!line.contains(label)) {
                continue;
            }
            int le = line.indexOf("le=\"") + 4;
            String bound = line.substring(le, line.indexOf('"', le));
            counts.put(bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound), value(line));
        }
        return counts;
    }

    /** The upper bound (ms) of the bucket holding rank {@code q}. */
    private static String rank(TreeMap<Double, Double> cumulative, double q) {
        double total = cumulative.lastEntry().getValue();
        for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
            if (bucket.getValue() >= q * total) {
                return bucket.getKey().isInfinite() ? "> 30000" : String.format("%.0f", bucket.getKey() * 1000);
            }
        }
        return "?";
    }

    private static List<String> lines(String page, String prefix) {
        List<String> found = new ArrayList<>();
        if (page == null) {
            return found;
        }
        for (String line : page.split("\n")) {
            if (line.startsWith(prefix)) {
                found.add(line);
            }
        }
        return found;
    }

    private static double value(String line) {
        String[] parts = line.substring(line.lastIndexOf('}') + 1).trim().split(" ");
        return Double.parseDouble(parts[0]);
    }

    private static double sum(String page, String prefix) {
        return lines(page, prefix).stream().mapToDouble(StageLatencies::value).filter(v -> !Double.isNaN(v)).sum();
    }

    private static double mean(String page, String prefix) {
        return lines(page, prefix).stream().mapToDouble(StageLatencies::value).filter(v -> !Double.isNaN(v))
                .average().orElse(Double.NaN);
    }

    private static double max(String page, String prefix) {
        return lines(page, prefix).stream().mapToDouble(StageLatencies::value).filter(v -> !Double.isNaN(v))
                .max().orElse(Double.NaN);
    }
}
