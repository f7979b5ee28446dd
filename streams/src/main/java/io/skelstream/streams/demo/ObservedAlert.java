package io.skelstream.streams.demo;

/**
 * An alert as the demo view shows it.
 *
 * @param raised true for RAISED, false for CLEARED
 * @param atMicros when it was raised or cleared (epoch micros)
 */
public record ObservedAlert(String ruleId, String deviceId, long trackId, String label, String severity, boolean raised,
                            long atMicros) {
}
