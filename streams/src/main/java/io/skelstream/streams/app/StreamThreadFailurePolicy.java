package io.skelstream.streams.app;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a stream thread dies.
 *
 * <p>Transient failures (a retriable Kafka error or a client timeout anywhere in the cause chain) replace the
 * thread: its tasks restart from the last committed transaction, so exactly-once holds. Anything else, or more than
 * {@link #MAX_REPLACEMENTS} transient failures within {@link #REPLACEMENT_PERIOD}, shuts the client down: a bug or a
 * broken model would otherwise loop forever, and a stopped process is what an orchestrator can see and restart.
 */
public final class StreamThreadFailurePolicy implements StreamsUncaughtExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(StreamThreadFailurePolicy.class);

    static final int MAX_REPLACEMENTS = 10;
    static final Duration REPLACEMENT_PERIOD = Duration.ofMinutes(10);

    private final LongSupplier nanoClock;
    private final Deque<Long> recentReplacements = new ArrayDeque<>();

    public StreamThreadFailurePolicy() {
        this(System::nanoTime);
    }

    StreamThreadFailurePolicy(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable error) {
        if (!isTransient(error)) {
            LOG.error("A stream thread failed with a non-transient error; shutting the processor down so it can be "
                    + "restarted (state is safe: uncommitted work is redone from the last transaction)", error);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        long now = nanoClock.getAsLong();
        while (!recentReplacements.isEmpty() && now - recentReplacements.peekFirst() > REPLACEMENT_PERIOD.toNanos()) {
            recentReplacements.removeFirst();
        }
        if (recentReplacements.size() >= MAX_REPLACEMENTS) {
            LOG.error("A stream thread failed with a transient error for the {}th time within {} min; giving up and "
                    + "shutting the processor down", MAX_REPLACEMENTS + 1, REPLACEMENT_PERIOD.toMinutes(), error);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        recentReplacements.addLast(now);
        LOG.warn("A stream thread failed with a transient error ({}); replacing it. Its tasks resume from the last "
                + "committed transaction.", describe(error));
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** A retriable Kafka error or a timeout anywhere in the cause chain; never an Error (OOM, linkage). */
    static boolean isTransient(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof Error) {
                return false;
            }
            if (cause instanceof RetriableException || cause instanceof org.apache.kafka.common.errors.TimeoutException
                    || cause instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable error) {
        StringBuilder chain = new StringBuilder();
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (chain.length() > 0) {
                chain.append(" <- ");
            }
            chain.append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
        }
        return chain.toString();
    }
}
