package io.skelstream.streams.events;

import java.time.Instant;

/** Conversions between microseconds since the epoch (our capture-time unit) and the Avro records' {@link Instant}s. */
public final class Micros {

    private Micros() {
    }

    public static Instant toInstant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    public static long of(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
    }
}
