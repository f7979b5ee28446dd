package io.skelstream.streams.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.skelstream.encoder.ActionEncoder;
import io.skelstream.encoder.EncoderException;
import io.skelstream.encoder.EncoderOptions;
import io.skelstream.encoder.ExecutionProvider;
import io.skelstream.encoder.ModelSource;
import io.skelstream.encoder.WindowBatch;
import io.skelstream.encoder.WindowResult;
import io.skelstream.streams.metrics.PipelineMetrics;
import io.skelstream.streams.topology.PipelineHarness;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The batcher's inference thread with real caller threads and the real encoder on the probe model. */
class InferenceBatcherTest {

    private ActionEncoder encoder;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PipelineMetrics metrics = new PipelineMetrics(registry);
    private ExecutorService threads;

    @BeforeEach
    void openEncoder() {
        encoder = ActionEncoder.open(ModelSource.ofClasspath(PipelineHarness.MODEL),
                EncoderOptions.builder().provider(ExecutionProvider.CPU).intraOpThreads(1).build());
    }

    @AfterEach
    void close() {
        if (threads != null) {
            threads.shutdownNow();
        }
        encoder.close();
    }

    /** A caller's windows: window i of caller c has every x = 0.1 * (c * 10 + i), so each window's answer differs. */
    private WindowBatch windows(InferenceBatcher batcher, int caller, int count) {
        WindowBatch batch = batcher.newCallerBatch();
        for (int i = 0; i < count; i++) {
            FloatBuffer slot = batch.window(batch.add());
            float x = 0.1f * (caller * 10 + i);
            for (int f = 0; f < slot.capacity(); f += 3) {
                slot.put(f, x);
                slot.put(f + 1, 1f);
                slot.put(f + 2, 2f);
            }
        }
        return batch;
    }

    /** What one caller does with its own batch, on its own thread. */
    private interface Caller {
        List<WindowResult> call(WindowBatch mine) throws Exception;
    }

    /** Submits {@code callers} batches of {@code windowsEach} windows from as many threads at once; their results. */
    private List<List<WindowResult>> submitConcurrently(InferenceBatcher batcher, int callers, int windowsEach)
            throws Exception {
        return concurrently(batcher, callers, windowsEach, batcher::infer);
    }

    /** Runs {@code caller} on {@code callers} threads released together, each with its own windows; their results. */
    private List<List<WindowResult>> concurrently(InferenceBatcher batcher, int callers, int windowsEach, Caller caller)
            throws Exception {
        threads = Executors.newFixedThreadPool(callers);
        CyclicBarrier start = new CyclicBarrier(callers);
        List<Future<List<WindowResult>>> futures = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            int index = c;
            futures.add(threads.submit(() -> {
                WindowBatch mine = windows(batcher, index, windowsEach);
                start.await();
                return caller.call(mine);
            }));
        }
        List<List<WindowResult>> results = new ArrayList<>();
        for (Future<List<WindowResult>> future : futures) {
            results.add(future.get(60, TimeUnit.SECONDS));
        }
        return results;
    }

    private void assertSameAsAlone(List<List<WindowResult>> results, int windowsEach) {
        InferenceBatcher alone = new InferenceBatcher(encoder, 64, 0, new PipelineMetrics(new PrometheusRegistry()));
        for (int c = 0; c < results.size(); c++) {
            List<WindowResult> expected = encoder.run(windows(alone, c, windowsEach));
            assertEquals(windowsEach, results.get(c).size());
            for (int i = 0; i < windowsEach; i++) {
                assertArrayEquals(expected.get(i).probabilities(), results.get(c).get(i).probabilities(), 1e-7f,
                        "caller " + c + " window " + i);
            }
        }
    }

    private HistogramSnapshot.HistogramDataPointSnapshot batchSizes() {
        for (MetricSnapshot snapshot : registry.scrape()) {
            if (snapshot.getMetadata().getPrometheusName().equals("skelstream_inference_batch_size")) {
                return ((HistogramSnapshot) snapshot).getDataPoints().get(0);
            }
        }
        throw new AssertionError("no batch size histogram");
    }

    @Test
    void shouldMergeRequestsThatQueueTogetherIntoOneEncoderRun() throws Exception {
        // given a merge wait long enough for every caller's windows to queue before the encoder starts
        InferenceBatcher batcher = new InferenceBatcher(encoder, 12, 5_000, metrics);

        // when four threads submit 3 windows each at the same moment
        List<List<WindowResult>> results = submitConcurrently(batcher, 4, 3);

        // then one encoder run of 12 windows served them all, each caller getting its own windows' answers
        assertEquals(1, batchSizes().getCount());
        assertEquals(12.0, batchSizes().getSum());
        assertSameAsAlone(results, 3);
    }

    @Test
    void shouldNeverRunMoreThanTheMaximumBatchSize() throws Exception {
        InferenceBatcher batcher = new InferenceBatcher(encoder, 5, 5_000, metrics);

        List<List<WindowResult>> results = submitConcurrently(batcher, 3, 4);

        // 12 windows in requests of 4: no two requests fit one run of at most 5, and no request is split
        assertEquals(12.0, batchSizes().getSum());
        assertEquals(3, batchSizes().getCount());
        assertSameAsAlone(results, 4);
    }

    @Test
    void shouldRunAtOnceWhenTheEncoderIsIdleAndNoMergeWaitIsSet() {
        InferenceBatcher batcher = new InferenceBatcher(encoder, 64, 0, metrics);
        long started = System.nanoTime();

        List<WindowResult> results = batcher.infer(windows(batcher, 0, 2));

        long waitedMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(waitedMillis < 2_000, "waited " + waitedMillis + " ms with an idle encoder");
        assertSameAsAlone(List.of(results), 2);
    }

    @Test
    void shouldReturnWhileTheRunIsInFlightAndCompleteOnTheInferenceThread() throws Exception {
        InferenceBatcher batcher = new InferenceBatcher(encoder, 64, 0, metrics);
        WindowBatch mine = windows(batcher, 0, 3);

        CompletableFuture<List<WindowResult>> request = batcher.submit(mine);
        String completedOn = request.thenApply(results -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);

        // (a future already done when thenApply is called runs it on the caller: either name proves no stream
        // thread ran the encoder; the results are the windows' own)
        assertTrue(completedOn.equals(InferenceBatcher.THREAD_NAME) || completedOn.equals(Thread.currentThread().getName()));
        assertEquals(3, request.get().size());
        assertSameAsAlone(List.of(request.get()), 3);
    }

    @Test
    void shouldRunOnTheCallersOwnThreadWhenTheEncoderIsIdle() {
        InferenceBatcher batcher = new InferenceBatcher(encoder, 64, 0, metrics);

        List<WindowResult> results = batcher.inferOnCallerThread(windows(batcher, 0, 3));

        // then no hand-off: the inference thread was never started, and the run is counted like any other
        assertTrue(!batcher.inferenceThreadAlive(), "the inference thread was started for an idle encoder");
        assertEquals(1, batchSizes().getCount());
        assertEquals(3.0, batchSizes().getSum());
        assertSameAsAlone(List.of(results), 3);
    }

    @Test
    void shouldQueueCallersBehindARunningBatchAndGiveEachItsOwnResults() throws Exception {
        // given six callers that each run on their own thread when the encoder is idle, all at the same moment
        InferenceBatcher batcher = new InferenceBatcher(encoder, 64, 0, metrics);
        int callers = 6;
        List<List<WindowResult>> results = concurrently(batcher, callers, 2, mine -> {
            List<WindowResult> all = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                all = batcher.inferOnCallerThread(mine);
            }
            return all;
        });

        // then every window was inferred once per round, on whichever thread, and every caller got its own answers
        assertEquals(callers * 5 * 2.0, batchSizes().getSum());
        assertSameAsAlone(results, 2);
    }

    @Test
    void shouldGiveEveryCallerOfAFailedRunTheEncodersError() {
        // given an encoder that fails every run (closed)
        InferenceBatcher batcher = new InferenceBatcher(encoder, 64, 0, metrics);
        WindowBatch mine = windows(batcher, 0, 2);
        encoder.close();

        // then the caller gets an EncoderException naming the cause, and the batcher still serves later calls
        EncoderException failure = assertThrows(EncoderException.class, () -> batcher.infer(mine));
        assertTrue(failure.getMessage().contains("closed"), failure.getMessage());
        assertThrows(EncoderException.class, () -> batcher.infer(mine));
        assertThrows(EncoderException.class, () -> batcher.inferOnCallerThread(mine));
    }

    @Test
    void shouldRejectARequestLargerThanOneRun() {
        InferenceBatcher batcher = new InferenceBatcher(encoder, 2, 0, metrics);
        WindowBatch three = encoder.newBatch(3);
        for (int i = 0; i < 3; i++) {
            three.add();
        }
        assertThrows(IllegalArgumentException.class, () -> batcher.submit(three));
    }
}
