package io.skelstream.streams.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.skelstream.encoder.ActionEncoder;
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
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cross-thread batcher with real threads and the real encoder on the probe model. */
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

    /** Runs {@code callers} threads that register, meet at a barrier, and infer their windows together. */
    private List<List<WindowResult>> inferConcurrently(InferenceBatcher batcher, int callers, int windowsEach)
            throws Exception {
        threads = Executors.newFixedThreadPool(callers);
        CyclicBarrier registered = new CyclicBarrier(callers);
        CyclicBarrier start = new CyclicBarrier(callers);
        List<Future<List<WindowResult>>> futures = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            int caller = c;
            futures.add(threads.submit(() -> {
                batcher.register();
                try {
                    WindowBatch mine = windows(batcher, caller, windowsEach);
                    registered.await();
                    start.await();
                    return batcher.infer(mine);
                } finally {
                    batcher.deregister();
                }
            }));
        }
        List<List<WindowResult>> results = new ArrayList<>();
        for (Future<List<WindowResult>> future : futures) {
            results.add(future.get());
        }
        return results;
    }

    private void assertSameAsAlone(List<List<WindowResult>> results, int windowsEach) {
        InferenceBatcher alone = new InferenceBatcher(encoder, 64, 0, 0, new PipelineMetrics(new PrometheusRegistry()));
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
    void shouldMergeConcurrentCallersIntoOneEncoderRun() throws Exception {
        // given four stream threads and a merge wait long enough for all of them to join
        InferenceBatcher batcher = new InferenceBatcher(encoder, 64, 5_000, 5_000, metrics);

        // when they infer 3 windows each at the same moment
        List<List<WindowResult>> results = inferConcurrently(batcher, 4, 3);

        // then one encoder run of 12 windows served them all, each caller getting its own windows' answers
        assertEquals(1, batchSizes().getCount());
        assertEquals(12.0, batchSizes().getSum());
        assertSameAsAlone(results, 3);
    }

    @Test
    void shouldSplitRoundsAtTheMaximumBatchSize() throws Exception {
        InferenceBatcher batcher = new InferenceBatcher(encoder, 5, 5_000, 5_000, metrics);

        List<List<WindowResult>> results = inferConcurrently(batcher, 3, 4);

        // 12 windows in rounds of at most 5
        assertEquals(12.0, batchSizes().getSum());
        assertTrue(batchSizes().getCount() >= 3, "rounds: " + batchSizes().getCount());
        assertSameAsAlone(results, 4);
    }

    @Test
    void shouldNotWaitForOthersWhenItIsTheOnlyRegisteredThread() {
        InferenceBatcher batcher = new InferenceBatcher(encoder, 64, 10_000, 10_000, metrics);
        batcher.register();
        long started = System.nanoTime();

        List<WindowResult> results = batcher.infer(windows(batcher, 0, 2));

        assertEquals(2, results.size());
        assertTrue(System.nanoTime() - started < 5_000_000_000L, "a lone thread must not wait the max wait");
        batcher.deregister();
    }

    @Test
    void shouldRunAtOnceWhenTheEncoderIsIdleAndNoMergeWaitIsSet() throws Exception {
        // given two registered threads of which only one has windows, and the default merge wait of 0
        InferenceBatcher batcher = new InferenceBatcher(encoder, 64, 10_000, 0, metrics);
        CyclicBarrier bothRegistered = new CyclicBarrier(2);
        CyclicBarrier done = new CyclicBarrier(2);
        Thread idle = new Thread(() -> {
            batcher.register();
            try {
                bothRegistered.await();
                done.await();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                batcher.deregister();
            }
        });
        idle.start();
        batcher.register();
        bothRegistered.await();
        long started = System.nanoTime();

        List<WindowResult> results = batcher.infer(windows(batcher, 1, 2));

        long waitedMillis = (System.nanoTime() - started) / 1_000_000;
        done.await();
        idle.join();
        batcher.deregister();
        assertEquals(2, results.size());
        assertTrue(waitedMillis < 5_000, "waited " + waitedMillis + " ms for a thread that had nothing to send");
    }

    @Test
    void shouldRunAfterTheMaximumWaitWhenOtherThreadsDoNotJoin() throws Exception {
        // given two registered threads of which only one has windows, and a merge wait of 200 ms
        InferenceBatcher batcher = new InferenceBatcher(encoder, 64, 200, 200, metrics);
        CyclicBarrier bothRegistered = new CyclicBarrier(2);
        CyclicBarrier done = new CyclicBarrier(2);
        Thread idle = new Thread(() -> {
            batcher.register();
            try {
                bothRegistered.await();
                done.await();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                batcher.deregister();
            }
        });
        idle.start();
        batcher.register();
        bothRegistered.await();
        long started = System.nanoTime();

        List<WindowResult> results = batcher.infer(windows(batcher, 1, 2));

        long waitedMillis = (System.nanoTime() - started) / 1_000_000;
        done.await();
        idle.join();
        batcher.deregister();
        assertEquals(2, results.size());
        assertTrue(waitedMillis >= 190 && waitedMillis < 5_000, "waited " + waitedMillis + " ms");
    }
}
