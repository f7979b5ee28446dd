/**
 * Alert rules (continuous duration, cumulative duration in a rolling period, cooldown, hysteresis) read from a JSON file
 * ({@link io.skelstream.streams.alerts.AlertRules}) and evaluated per track ({@link io.skelstream.streams.alerts.AlertProcessor}).
 */
package io.skelstream.streams.alerts;
