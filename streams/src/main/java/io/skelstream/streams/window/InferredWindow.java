package io.skelstream.streams.window;

import io.skelstream.encoder.WindowResult;

/**
 * The encoder's answer for one window of one track.
 *
 * @param startMicros      capture time of the window's first sample
 * @param endMicros        capture time of the window's last sample
 * @param firstOfSegment   true for the first window after the track started or restarted (long gap): smoothing and
 *                         continuity checks start afresh
 */
public record InferredWindow(String deviceId, long trackId, long startMicros, long endMicros,
                             boolean firstOfSegment, WindowResult result) implements TrackUpdate {
}
