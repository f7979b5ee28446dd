package io.skelstream.streams.http;

import java.util.Map;
import java.util.Objects;

/**
 * Whether the processor can do its job right now, and why not.
 *
 * @param ready true when Kafka Streams is RUNNING and the model is loaded
 * @param state the Kafka Streams state (e.g. {@code REBALANCING}), or {@code NOT_STARTED}
 * @param reason what is missing, for a human reading {@code /readyz}; empty when ready
 * @param details extra facts shown on {@code /readyz} (model name, provider, ...)
 */
public record Readiness(boolean ready, String state, String reason, Map<String, String> details) {

    public Readiness {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(reason, "reason");
        details = Map.copyOf(details);
    }

    public static Readiness ready(String state, Map<String, String> details) {
        return new Readiness(true, state, "", details);
    }

    public static Readiness notReady(String state, String reason) {
        return new Readiness(false, state, reason, Map.of());
    }
}
