package io.skelstream.streams.replay;

/** Wall-clock time for the replayer; tests pass a virtual clock that never sleeps. */
public interface ReplayClock {

    /** Current time, microseconds since the epoch. */
    long nowMicros();

    /** Waits until the clock reads at least {@code epochMicros}. */
    void sleepUntil(long epochMicros) throws InterruptedException;

    /** The system clock: epoch-based, advanced by the monotonic clock so it never jumps back within a run. */
    static ReplayClock system() {
        long epochAtStart = System.currentTimeMillis() * 1000;
        long nanosAtStart = System.nanoTime();
        return new ReplayClock() {
            @Override
            public long nowMicros() {
                return epochAtStart + (System.nanoTime() - nanosAtStart) / 1000;
            }

            @Override
            public void sleepUntil(long epochMicros) throws InterruptedException {
                long waitMicros = epochMicros - nowMicros();
                if (waitMicros > 0) {
                    Thread.sleep(waitMicros / 1000, (int) (waitMicros % 1000) * 1000);
                }
            }
        };
    }
}
