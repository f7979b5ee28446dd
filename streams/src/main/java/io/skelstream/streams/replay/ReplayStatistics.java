package io.skelstream.streams.replay;

/**
 * Counters of one replay run, as seen by a progress display.
 *
 * @param framesPublished frames handed to the sink
 * @param framesDropped frames skipped by the drop rate
 * @param sequencesStarted sequences started over all devices (repeats counted)
 * @param elapsedMicros wall time since the start
 * @param plannedMicros wall time one pass takes (the longest device), or the duration limit; 0 when unbounded
 */
public record ReplayStatistics(long framesPublished, long framesDropped, long sequencesStarted, long elapsedMicros,
                               long plannedMicros) {

    /** Fraction done in [0, 1], or -1 when the run is unbounded. */
    public double fractionDone() {
        return plannedMicros <= 0 ? -1 : Math.min(1.0, (double) elapsedMicros / plannedMicros);
    }
}
