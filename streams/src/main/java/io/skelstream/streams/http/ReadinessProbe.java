package io.skelstream.streams.http;

/** Answers {@code /readyz}; called on every request, so it must be cheap and thread-safe. */
@FunctionalInterface
public interface ReadinessProbe {

    Readiness check();
}
