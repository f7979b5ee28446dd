package io.skelstream.streams.topology;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A {@link Clock} that reads a time the processor sets from {@code ProcessorContext.currentSystemTimeMs()} before each
 * use, so validation sees the same wall clock as the rest of the task (and a test driver's mocked time).
 */
final class ProcessorWallClock extends Clock {

    private long millis;

    void set(long nowMillis) {
        this.millis = nowMillis;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a processor's wall clock is UTC only");
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }

    @Override
    public long millis() {
        return millis;
    }
}
