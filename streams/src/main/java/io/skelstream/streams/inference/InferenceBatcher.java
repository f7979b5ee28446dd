package io.skelstream.streams.inference;

import io.skelstream.encoder.ActionEncoder;
import io.skelstream.encoder.EncoderException;
import io.skelstream.encoder.WindowBatch;
import io.skelstream.encoder.WindowResult;
import io.skelstream.streams.metrics.PipelineMetrics;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs the encoder on its own thread (one per application instance), merging the windows that callers (the tasks of
 * every stream thread) submit into few large encoder runs, so stream threads keep polling and processing frames while
 * ONNX Runtime works.
 *
 * <p>How a run is formed: callers {@link #submit} batches of at most {@code maxBatch} windows; the inference thread
 * takes queued requests in order while their windows fit in one run of {@code maxBatch}, runs them together and
 * completes each request with its slice of the results. This is adaptive batching: while the encoder is busy, new
 * requests gather in the queue and go together into the next run; an idle encoder starts at once (or, with a
 * {@code mergeWait} above 0, waits that long for more windows: worth it on a GPU, where a large run costs about what a
 * small one does).
 *
 * <p>A caller that would only wait for its results ({@link #inferOnCallerThread}: stream threads when the CPU encoder
 * has every core) runs them on its own thread while the encoder is idle, saving the hand-off and the wake-up back;
 * one encoder slot keeps those runs and the inference thread's from overlapping.
 *
 * <p>Exactly-once: this class holds no Kafka state. A caller keeps every window it submitted in its changelogged
 * pending store until it has forwarded the window's result in its own transaction; a task that is closed (revoked,
 * aborted, crashed) with a request in flight drops the result, and whoever restores the pending store infers the
 * window again.
 *
 * <p>The thread is a daemon started by the first request and ended after {@value #IDLE_EXIT_MILLIS} ms without any,
 * so a batcher needs no closing. Thread-safe. A failed run completes each of its requests with the
 * {@link EncoderException}.
 */
public final class InferenceBatcher {

    static final long IDLE_EXIT_MILLIS = 5_000;
    public static final String THREAD_NAME = "skelstream-inference";

    private final ActionEncoder encoder;
    private final int maxBatch;
    private final long mergeWaitNanos;
    private final PipelineMetrics metrics;

    /** Held by whoever runs the encoder: the inference thread, or a caller running its windows on its own thread. */
    private final Semaphore encoderSlot = new Semaphore(1);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition submitted = lock.newCondition();
    private final ArrayDeque<Request> queue = new ArrayDeque<>();
    private int queuedWindows;
    private Thread worker;
    /** The inference thread's own batch for merged runs: [maxBatch][T][M][V][3] float32, reused run after run. */
    private WindowBatch runBatch;

    /**
     * @param maxBatch        most windows in one encoder run (and in one request)
     * @param mergeWaitMillis how long an idle encoder waits for more windows before a run that is not full (0: not
     *                        at all)
     */
    public InferenceBatcher(ActionEncoder encoder, int maxBatch, long mergeWaitMillis, PipelineMetrics metrics) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
        }
        this.encoder = encoder;
        this.maxBatch = maxBatch;
        this.mergeWaitNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, mergeWaitMillis));
        this.metrics = metrics;
    }

    public ActionEncoder encoder() {
        return encoder;
    }

    public int maxBatch() {
        return maxBatch;
    }

    /** A batch for one caller to fill before {@link #submit}; one per processor (not thread-safe itself). */
    public WindowBatch newCallerBatch() {
        return encoder.newBatch(maxBatch);
    }

    /**
     * Queues the caller's windows for the next run. The caller must not touch {@code windows} until the returned
     * future is done (the inference thread reads it).
     *
     * @return one result per window, in slot order; completed exceptionally with an {@link EncoderException} when the
     *         run holding these windows failed
     */
    public CompletableFuture<List<WindowResult>> submit(WindowBatch windows) {
        int count = windows.size();
        if (count > maxBatch) {
            throw new IllegalArgumentException("a request holds at most " + maxBatch + " windows, got " + count);
        }
        Request request = new Request(windows, count, System.nanoTime());
        if (count == 0) {
            request.result.complete(List.of());
            return request.result;
        }
        lock.lock();
        try {
            queue.add(request);
            queuedWindows += count;
            if (worker == null) {
                worker = new Thread(this::work, THREAD_NAME);
                worker.setDaemon(true);
                worker.start();
            }
            submitted.signal();
        } finally {
            lock.unlock();
        }
        return request.result;
    }

    /**
     * {@link #submit} and wait for the result.
     *
     * @throws EncoderException when the run holding these windows failed
     */
    public List<WindowResult> infer(WindowBatch windows) throws EncoderException {
        return await(submit(windows));
    }

    /**
     * Infers the caller's windows on the caller's own thread when the encoder is idle (no hand-off to the inference
     * thread and no wake-up back: what a caller that waits anyway saves); while the inference thread is running a
     * batch, queues them behind it as {@link #infer} does, so runs never overlap and queued windows still merge.
     *
     * @throws EncoderException when the run holding these windows failed
     */
    public List<WindowResult> inferOnCallerThread(WindowBatch windows) throws EncoderException {
        int count = windows.size();
        if (count > maxBatch) {
            throw new IllegalArgumentException("a request holds at most " + maxBatch + " windows, got " + count);
        }
        if (count == 0 || !encoderSlot.tryAcquire()) {
            return infer(windows);
        }
        try {
            long started = System.nanoTime();
            List<WindowResult> results = encoder.run(windows);
            metrics.batchInferred(count, System.nanoTime() - started);
            return results;
        } catch (RuntimeException e) {
            throw asEncoderException(e); // as the inference thread's callers see a failed run
        } finally {
            encoderSlot.release();
        }
    }

    /** Whether the inference thread is alive (started by a queued request, ended when idle). */
    boolean inferenceThreadAlive() {
        lock.lock();
        try {
            return worker != null;
        } finally {
            lock.unlock();
        }
    }

    /** The result of a submitted request, waiting for it if need be; the run's failure is rethrown as it was. */
    public static List<WindowResult> await(CompletableFuture<List<WindowResult>> request) throws EncoderException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return request.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the run is short and other windows share it: finish waiting
                } catch (ExecutionException e) {
                    throw asEncoderException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static EncoderException asEncoderException(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause instanceof EncoderException encoderFailure ? encoderFailure
                : new EncoderException("inference failed: " + cause, cause);
    }

    // ------------------------------------------------------------------------------------------ inference thread

    private void work() {
        while (true) {
            List<Request> run = nextRun();
            if (run == null) {
                return;
            }
            execute(run);
        }
    }

    /** Waits for requests and takes those that fit in one run; null once idle long enough to end the thread. */
    private List<Request> nextRun() {
        lock.lock();
        try {
            long idleDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(IDLE_EXIT_MILLIS);
            while (queue.isEmpty()) {
                long left = idleDeadline - System.nanoTime();
                if (left <= 0) {
                    worker = null;
                    return null;
                }
                submitted.awaitNanos(left);
            }
            if (mergeWaitNanos > 0) {
                long deadline = queue.peek().submittedNanos + mergeWaitNanos;
                long left;
                while (queuedWindows < maxBatch && (left = deadline - System.nanoTime()) > 0) {
                    submitted.awaitNanos(left);
                }
            }
            List<Request> run = new ArrayList<>();
            int windows = 0;
            while (!queue.isEmpty() && windows + queue.peek().count <= maxBatch) {
                Request request = queue.poll();
                run.add(request);
                windows += request.count;
            }
            queuedWindows -= windows;
            return run;
        } catch (InterruptedException e) {
            // Nobody interrupts this private thread; if something does, end it (the next submit starts another).
            worker = null;
            Thread.currentThread().interrupt();
            return null;
        } finally {
            lock.unlock();
        }
    }

    private void execute(List<Request> run) {
        List<WindowResult> results;
        // A caller's run on its own thread is short: wait it out. The slot is free again before any caller learns of
        // its results, so a caller that goes on to its next batch finds the encoder idle.
        encoderSlot.acquireUninterruptibly();
        long started = System.nanoTime();
        try {
            WindowBatch windows = merged(run);
            results = encoder.run(windows);
            metrics.batchInferred(windows.size(), System.nanoTime() - started);
        } catch (RuntimeException | Error e) {
            encoderSlot.release();
            // Every caller of the run learns of it; the thread goes on with the next run.
            EncoderException failure = e instanceof EncoderException encoderFailure ? encoderFailure
                    : new EncoderException("inference failed: " + e, e);
            for (Request request : run) {
                request.result.completeExceptionally(failure);
            }
            return;
        }
        encoderSlot.release();
        if (run.size() == 1) {
            run.get(0).result.complete(results);
            return;
        }
        int offset = 0;
        for (Request request : run) {
            request.result.complete(List.copyOf(results.subList(offset, offset + request.count)));
            offset += request.count;
        }
    }

    /** The run's windows in one batch: a single caller's own batch (no copy), or copies into the thread's batch. */
    private WindowBatch merged(List<Request> run) {
        if (run.size() == 1) {
            return run.get(0).windows;
        }
        if (runBatch == null) {
            runBatch = encoder.newBatch(maxBatch);
        }
        runBatch.clear();
        for (Request request : run) {
            for (int i = 0; i < request.count; i++) {
                runBatch.window(runBatch.add()).put(request.windows.window(i));
            }
        }
        return runBatch;
    }

    /** One caller's windows ({@code count} slots of {@code windows}) and where their results go. */
    private static final class Request {
        final WindowBatch windows;
        final int count;
        final long submittedNanos;
        final CompletableFuture<List<WindowResult>> result = new CompletableFuture<>();

        Request(WindowBatch windows, int count, long submittedNanos) {
            this.windows = windows;
            this.count = count;
            this.submittedNanos = submittedNanos;
        }
    }
}
