package io.skelstream.it.bench;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The steady-state rate of a counter that climbs from 0 to {@code total}: the counter's increase between the times it
 * crosses 10 % and 90 % of the total (linearly interpolated between samples) over the time between, so start-up
 * (assignment, restore, JIT) and the tail (last partial batches) do not count.
 */
final class SteadyRate {

    private SteadyRate() {
    }

    /** Units per second between 10 % and 90 % of {@code total}; NaN when the samples never cross both. */
    static double between10And90(List<MetricsSample> samples, ToDoubleFunction<MetricsSample> counter, double total) {
        return betweenLevels(samples, counter, 0.1 * total, 0.9 * total);
    }

    /** Units per second between the counter crossing {@code low} and {@code high}; NaN when it never crosses both. */
    static double betweenLevels(List<MetricsSample> samples, ToDoubleFunction<MetricsSample> counter, double low,
                                double high) {
        double lowAt = crossing(samples, counter, low);
        double highAt = crossing(samples, counter, high);
        if (Double.isNaN(lowAt) || Double.isNaN(highAt) || highAt <= lowAt) {
            return Double.NaN;
        }
        return (high - low) / ((highAt - lowAt) / 1e9);
    }

    /** The interpolated nanoTime at which the counter reached {@code level}; NaN if it never did. */
    static double crossing(List<MetricsSample> samples, ToDoubleFunction<MetricsSample> counter, double level) {
        for (int i = 1; i < samples.size(); i++) {
            double before = counter.applyAsDouble(samples.get(i - 1));
            double after = counter.applyAsDouble(samples.get(i));
            if (after >= level && before < level) {
                double fraction = (level - before) / (after - before);
                long t0 = samples.get(i - 1).nanos();
                return t0 + fraction * (samples.get(i).nanos() - t0);
            }
        }
        return Double.NaN;
    }

    /** Units per second between two samples. */
    static double between(MetricsSample from, MetricsSample to, ToDoubleFunction<MetricsSample> counter) {
        return (counter.applyAsDouble(to) - counter.applyAsDouble(from)) / to.secondsSince(from);
    }
}
