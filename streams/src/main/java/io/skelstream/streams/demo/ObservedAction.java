package io.skelstream.streams.demo;

/**
 * An action event as the demo view needs it.
 *
 * @param windowStartMicros capture time of the window's first frame (epoch micros)
 * @param windowEndMicros capture time of the window's last frame (epoch micros)
 */
public record ObservedAction(String deviceId, long trackId, long windowStartMicros, long windowEndMicros, String label,
                             float confidence) {
}
