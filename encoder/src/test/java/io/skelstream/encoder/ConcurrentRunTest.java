package io.skelstream.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Many threads share one encoder (one session), each with its own batch; every result equals the serial one. */
class ConcurrentRunTest {
    private static final int THREADS = 8;
    private static final int BATCHES_PER_THREAD = 40;
    private static final int BATCH = 5;

    @Test
    void shouldGiveEveryThreadTheResultsOfASingleThreadedRun() throws Exception {
        try (ActionEncoder encoder = ActionEncoder.open(TinyModel.valid(),
                EncoderOptions.builder().provider(ExecutionProvider.CPU).intraOpThreads(2).build())) {
            // Each thread's batches, fixed in advance, and their results computed by one thread.
            List<List<List<float[]>>> work = new ArrayList<>();
            List<List<List<WindowResult>>> serial = new ArrayList<>();
            WindowBatch serialBatch = encoder.newBatch(BATCH);
            for (int t = 0; t < THREADS; t++) {
                Random random = new Random(100 + t);
                List<List<float[]>> batches = new ArrayList<>();
                List<List<WindowResult>> results = new ArrayList<>();
                for (int b = 0; b < BATCHES_PER_THREAD; b++) {
                    List<float[]> windows = new ArrayList<>();
                    for (int w = 0; w < BATCH; w++) {
                        windows.add(TinyModel.randomWindow(random));
                    }
                    batches.add(windows);
                    serialBatch.clear();
                    TinyModel.fill(serialBatch, windows);
                    results.add(encoder.run(serialBatch));
                }
                work.add(batches);
                serial.add(results);
            }

            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<List<WindowResult>>>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                List<List<float[]>> batches = work.get(t);
                Callable<List<List<WindowResult>>> task = () -> {
                    WindowBatch batch = encoder.newBatch(BATCH);
                    List<List<WindowResult>> results = new ArrayList<>();
                    start.await();
                    for (List<float[]> windows : batches) {
                        batch.clear();
                        TinyModel.fill(batch, windows);
                        results.add(encoder.run(batch));
                    }
                    return results;
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            pool.shutdown();
            assertEquals(true, pool.awaitTermination(60, TimeUnit.SECONDS), "threads finished");

            for (int t = 0; t < THREADS; t++) {
                List<List<WindowResult>> concurrent = futures.get(t).get();
                for (int b = 0; b < BATCHES_PER_THREAD; b++) {
                    for (int w = 0; w < BATCH; w++) {
                        WindowResult expected = serial.get(t).get(b).get(w);
                        WindowResult actual = concurrent.get(b).get(w);
                        String where = "thread " + t + " batch " + b + " window " + w;
                        assertArrayEquals(expected.logits(), actual.logits(), where);
                        assertArrayEquals(expected.embedding(), actual.embedding(), where);
                        assertEquals(expected.topK(), actual.topK(), where);
                    }
                }
            }
        }
    }

    @Test
    void shouldLetRunsInFlightFinishAndRefuseLaterOnesWhenClosed() throws Exception {
        ActionEncoder encoder = ActionEncoder.open(TinyModel.valid(), TinyModel.cpu());
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch running = new CountDownLatch(4);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            futures.add(pool.submit(() -> {
                WindowBatch batch = encoder.newBatch(BATCH);
                TinyModel.fill(batch, List.of(TinyModel.randomWindow(new Random(1))));
                running.countDown();
                while (true) {
                    try {
                        assertEquals(1, encoder.run(batch).size());
                        completed.incrementAndGet();
                    } catch (EncoderException e) {
                        ModelDescriptionTest.assertContains(e.getMessage(), "is closed");
                        refused.incrementAndGet();
                        return null;
                    }
                }
            }));
        }
        running.await();
        Thread.sleep(50);

        encoder.close();

        for (Future<?> future : futures) {
            future.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(4, refused.get(), "every thread saw the encoder closed");
        assertEquals(true, completed.get() > 0, "runs completed before close");
    }
}
