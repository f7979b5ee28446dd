package io.skelstream.streams.events;

/**
 * A track's prediction after smoothing over its last windows: what alert rules look at, on every hop, whether or not
 * an event went out.
 *
 * @param probabilities smoothed probability per model label (label order of the model)
 * @param topLabel      index of the most probable label
 * @param confidence    its smoothed probability
 * @param firstOfSegment true for the first window after the track started or restarted after a long gap
 */
public record SmoothedWindow(String deviceId, long trackId, long startMicros, long endMicros, boolean firstOfSegment,
                             float[] probabilities, int topLabel, float confidence) {
}
