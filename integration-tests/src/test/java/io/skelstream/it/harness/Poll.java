package io.skelstream.it.harness;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Bounded waiting: every wait in the integration tests has a deadline and, when it passes, fails with what was
 * awaited and the context the caller supplies (usually the application's log tail).
 */
public final class Poll {

    private static final long INTERVAL_MILLIS = 200;

    private Poll() {
    }

    /**
     * Polls {@code condition} every 200 ms until it holds.
     *
     * @param what    what is awaited, for the failure message
     * @param context evaluated only on failure (e.g. {@code process.jvm()::logTail})
     * @throws AssertionError when the deadline passes first
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition, Supplier<String> context) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what + "\n"
                        + context.get());
            }
            sleep(INTERVAL_MILLIS);
        }
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
