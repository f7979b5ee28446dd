package io.skelstream.it.online;

import io.skelstream.streams.replay.ReplayClock;

/**
 * A replay clock that never sleeps: it jumps to whatever time the replayer waits for, so a dataset is published as
 * fast as the broker takes it while every frame keeps the capture time it would have had live. The clock starts in
 * the past (the frames must not be "from the future" for the app's validation).
 */
public final class VirtualReplayClock implements ReplayClock {

    private long nowMicros;

    public VirtualReplayClock(long startMicros) {
        this.nowMicros = startMicros;
    }

    @Override
    public long nowMicros() {
        return nowMicros;
    }

    @Override
    public void sleepUntil(long epochMicros) {
        nowMicros = Math.max(nowMicros, epochMicros);
    }
}
