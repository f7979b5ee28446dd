package io.skelstream.streams.inference;

import io.skelstream.encoder.ActionEncoder;
import io.skelstream.encoder.EncoderException;
import io.skelstream.encoder.WindowBatch;
import io.skelstream.encoder.WindowResult;
import io.skelstream.streams.metrics.PipelineMetrics;
import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Merges the windows of concurrent callers (the stream threads of one instance) into one encoder run, so the one
 * shared ONNX Runtime session sees few large batches instead of many small ones.
 *
 * <p>How a call goes: the caller copies its windows into the currently open <em>round</em> (a shared
 * {@link WindowBatch} of at most {@code maxBatch} windows); the first caller of a round leads it. The leader runs the
 * round as soon as one of these holds, then hands each participant its slice of the results:
 * <ul>
 * <li>the round is full, or every registered stream thread has joined it;</li>
 * <li>no other round is running and {@code mergeWait} has passed since the round opened: the encoder is idle, so
 *     waiting would only add latency (with the default {@code mergeWait} of 0 this is adaptive batching: while the
 *     encoder is busy with one round, the windows of other threads gather in the next);</li>
 * <li>{@code maxWait} has passed since the round opened (bounds the wait behind a slow round).</li>
 * </ul>
 * A caller with more windows than fit fills the open round, and the rest go into the next. No thread of its own: the
 * callers do the work, so there is nothing to start or stop, and a single stream thread never waits for others.
 * Windows of tasks on one stream thread are flushed one task after another, so they share a run only through rounds
 * other threads keep open.
 *
 * <p>Exactly-once: this class holds windows only for the duration of one {@link #infer} call, which runs inside a
 * stream thread's {@code process()} or punctuator. Results go back to the very thread (and task) whose windows they
 * are, which forwards the events in its own transaction. A crash while a call is in flight aborts that transaction;
 * the pending windows it was inferring are still in the task's changelogged pending store and are inferred again after
 * restore. Sharing the ONNX call across threads therefore shares no Kafka state and no transaction.
 *
 * <p>Thread-safe. An {@link EncoderException} reaches every caller whose windows were in the failed round.
 */
public final class InferenceBatcher {

    private final ActionEncoder encoder;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final long mergeWaitNanos;
    private final PipelineMetrics metrics;

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<WindowBatch> freeBatches = new ArrayDeque<>();
    /** Stream threads that may call (processors register on init); a round waits for at most this many. */
    private final Map<Thread, Integer> registered = new HashMap<>();
    /** Signalled on every change of any round (joins, closes, completions). */
    private final Condition changed = lock.newCondition();
    private Round open;
    private int runningRounds;

    /**
     * @param maxBatch       most windows in one encoder run
     * @param maxWaitMillis  longest a round waits (behind a running round, or for other threads) before it runs
     * @param mergeWaitMillis how long a round waits for other threads' windows even when the encoder is idle (0: not
     *                       at all; raise it on a GPU, where one large run costs about what a small one does)
     */
    public InferenceBatcher(ActionEncoder encoder, int maxBatch, long maxWaitMillis, long mergeWaitMillis,
                            PipelineMetrics metrics) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
        }
        this.encoder = encoder;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, maxWaitMillis));
        this.mergeWaitNanos = Math.min(maxWaitNanos, TimeUnit.MILLISECONDS.toNanos(Math.max(0, mergeWaitMillis)));
        this.metrics = metrics;
    }

    public ActionEncoder encoder() {
        return encoder;
    }

    public int maxBatch() {
        return maxBatch;
    }

    /** A batch for one caller to fill before {@link #infer}; one per processor (not thread-safe itself). */
    public WindowBatch newCallerBatch() {
        return encoder.newBatch(maxBatch);
    }

    /** The calling thread will call {@link #infer}; rounds wait for registered threads only. */
    public void register() {
        lock.lock();
        try {
            registered.merge(Thread.currentThread(), 1, Integer::sum);
        } finally {
            lock.unlock();
        }
    }

    /** Undoes one {@link #register()} of the calling thread. */
    public void deregister() {
        lock.lock();
        try {
            registered.computeIfPresent(Thread.currentThread(), (thread, count) -> count == 1 ? null : count - 1);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs the encoder on the caller's windows, together with any other threads' windows of the same round.
     *
     * @param windows the caller's windows (slots 0..size-1); read, not modified
     * @return one result per window, in slot order
     * @throws EncoderException when the encoder fails on a round holding these windows
     */
    public List<WindowResult> infer(WindowBatch windows) throws EncoderException {
        int count = windows.size();
        if (count == 0) {
            return List.of();
        }
        List<Share> shares = new ArrayList<>(2);
        lock.lock();
        try {
            int copied = 0;
            while (copied < count) {
                if (open == null) {
                    open = new Round(takeBatch(), System.nanoTime());
                    open.leader = Thread.currentThread();
                }
                Round round = open;
                int take = Math.min(count - copied, maxBatch - round.batch.size());
                int first = round.batch.size();
                for (int i = 0; i < take; i++) {
                    FloatBuffer source = windows.window(copied + i);
                    round.batch.window(round.batch.add()).put(source);
                }
                round.participants.add(Thread.currentThread());
                shares.add(new Share(round, first, take, copied));
                copied += take;
                if (round.batch.isFull()) {
                    closeOpen(round);
                }
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }

        WindowResult[] results = new WindowResult[count];
        for (Share share : shares) {
            List<WindowResult> roundResults = awaitOrLead(share.round);
            for (int i = 0; i < share.count; i++) {
                results[share.callerOffset + i] = roundResults.get(share.roundOffset + i);
            }
        }
        return List.of(results);
    }

    /** The leader waits for the round to fill (bounded by maxWait), runs it and publishes; others wait for that. */
    private List<WindowResult> awaitOrLead(Round round) {
        lock.lock();
        try {
            if (round.leader == Thread.currentThread() && !round.running && !round.done) {
                long deadline = round.openedNanos + maxWaitNanos;
                long mergeDeadline = round.openedNanos + mergeWaitNanos;
                while (!round.closed && !everyoneJoined(round)) {
                    long now = System.nanoTime();
                    if (now >= deadline || (runningRounds == 0 && now >= mergeDeadline)) {
                        break;
                    }
                    try {
                        changed.awaitNanos((runningRounds == 0 ? mergeDeadline : deadline) - now);
                    } catch (InterruptedException e) {
                        // Run the round anyway (other threads' windows are in it); keep the interrupt for the caller.
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                closeOpen(round);
                round.running = true;
                runningRounds++;
                lock.unlock();
                List<WindowResult> results = null;
                RuntimeException failure = null;
                long started = System.nanoTime();
                try {
                    results = encoder.run(round.batch);
                    metrics.batchInferred(round.batch.size(), System.nanoTime() - started);
                } catch (RuntimeException e) {
                    failure = e;
                } catch (Error e) {
                    // followers must not wait forever for a round whose leader hit an error
                    failure = new EncoderException("inference failed: " + e, e);
                } finally {
                    lock.lock();
                }
                round.results = results;
                round.failure = failure;
                round.done = true;
                runningRounds--;
                round.batch.clear();
                freeBatches.push(round.batch);
                changed.signalAll();
            }
            while (!round.done) {
                changed.awaitUninterruptibly();
            }
            if (round.failure != null) {
                throw round.failure instanceof EncoderException ? (EncoderException) round.failure
                        : new EncoderException("inference failed: " + round.failure.getMessage(), round.failure);
            }
            return round.results;
        } finally {
            lock.unlock();
        }
    }

    private boolean everyoneJoined(Round round) {
        return round.participants.size() >= Math.max(1, registered.size());
    }

    private void closeOpen(Round round) {
        round.closed = true;
        if (open == round) {
            open = null;
        }
    }

    private WindowBatch takeBatch() {
        WindowBatch batch = freeBatches.poll();
        return batch != null ? batch : encoder.newBatch(maxBatch);
    }

    /** One encoder run being collected, running or done; guarded by the batcher's lock. */
    private final class Round {
        final WindowBatch batch;
        final long openedNanos;
        final Set<Thread> participants = new HashSet<>();
        Thread leader;
        boolean closed;
        boolean running;
        boolean done;
        List<WindowResult> results;
        RuntimeException failure;

        Round(WindowBatch batch, long openedNanos) {
            this.batch = batch;
            this.openedNanos = openedNanos;
        }
    }

    /** A caller's windows {@code callerOffset..+count} sit at {@code roundOffset..} of a round. */
    private record Share(Round round, int roundOffset, int count, int callerOffset) {
    }
}
