package io.skelstream.streams.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class StreamThreadFailurePolicyTest {

    @Test
    void shouldReplaceTheThreadOnTransientErrorsAnywhereInTheCauseChain() {
        StreamThreadFailurePolicy policy = new StreamThreadFailurePolicy();

        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD,
                policy.handle(new StreamsException("task 0_1 failed", new TimeoutException("commit timed out"))));
        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD,
                policy.handle(new StreamsException(new NotLeaderOrFollowerException("moved"))));
    }

    @Test
    void shouldShutDownOnBugsAndErrors() {
        StreamThreadFailurePolicy policy = new StreamThreadFailurePolicy();

        assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT,
                policy.handle(new StreamsException(new IllegalStateException("a bug"))));
        assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT,
                policy.handle(new StreamsException(new OutOfMemoryError("heap"), null)));
    }

    @Test
    void shouldGiveUpWhenTransientErrorsRepeatTooOften() {
        AtomicLong now = new AtomicLong();
        StreamThreadFailurePolicy policy = new StreamThreadFailurePolicy(now::get);
        for (int i = 0; i < StreamThreadFailurePolicy.MAX_REPLACEMENTS; i++) {
            assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, policy.handle(new TimeoutException("t")));
        }

        assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT, policy.handle(new TimeoutException("again")));

        now.addAndGet(StreamThreadFailurePolicy.REPLACEMENT_PERIOD.plus(Duration.ofSeconds(1)).toNanos());
        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, policy.handle(new TimeoutException("much later")));
    }
}
