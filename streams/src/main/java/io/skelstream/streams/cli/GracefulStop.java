package io.skelstream.streams.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Stops a long-running command cleanly on SIGTERM / Ctrl-C: the JVM's shutdown hook asks the command to stop and
 * waits (bounded) until the command says it has finished closing, so transactions are committed, producers flushed
 * and the broker left in order before the process exits.
 */
final class GracefulStop implements AutoCloseable {

    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean requested;

    /**
     * @param stopAction asks the command to stop (interrupt a thread, wake a consumer, count down a latch)
     * @param maxWait longest the hook waits for the command to finish closing
     */
    GracefulStop(Runnable stopAction, Duration maxWait) {
        this.hook = new Thread(() -> {
            requested = true;
            stopAction.run();
            try {
                finished.await(maxWait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "skelstream-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** True once a signal asked the command to stop. */
    boolean requested() {
        return requested;
    }

    /** The command has finished closing: lets the hook (and so the JVM) finish, or removes the hook. */
    @Override
    public void close() {
        finished.countDown();
        if (!requested) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutdown began meanwhile; the hook returns at once since finished is counted down
            }
        }
    }
}
