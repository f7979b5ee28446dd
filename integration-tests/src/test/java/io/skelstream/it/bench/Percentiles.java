package io.skelstream.it.bench;

import java.util.Arrays;

/** p50/p95/p99/max of a set of latencies in milliseconds (nearest-rank). */
record Percentiles(int count, double p50, double p95, double p99, double max) {

    static Percentiles of(double[] millis) {
        if (millis.length == 0) {
            return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        return new Percentiles(sorted.length, rank(sorted, 0.50), rank(sorted, 0.95), rank(sorted, 0.99),
                sorted[sorted.length - 1]);
    }

    private static double rank(double[] sorted, double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    String describe() {
        return count == 0 ? "no events"
                : String.format("p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms (%d events)", p50, p95, p99, max, count);
    }
}
