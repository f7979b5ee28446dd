package io.skelstream.streams.window;

/**
 * A track was freed: silent for longer than the inactivity timeout, or pushed out by a newer track of a device at its
 * track limit. {@code lastFrameMicros} is the capture time of its newest frame.
 */
public record TrackEnded(String deviceId, long trackId, long lastFrameMicros) implements TrackUpdate {
}
