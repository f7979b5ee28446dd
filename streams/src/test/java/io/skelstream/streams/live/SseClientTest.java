package io.skelstream.streams.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.prometheus.metrics.model.registry.PrometheusRegistry;

class SseClientTest {

    /** A browser that stops reading after the retry line and the first snapshot: later writes block until released. */
    private static final class StalledBrowser extends OutputStream {
        private int writes;
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch firstWrite = new CountDownLatch(1);
        final ByteArrayOutputStream received = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            boolean stall;
            synchronized (this) {
                stall = ++writes > 2;
            }
            if (stall) {
                firstWrite.countDown();
            }
            try {
                if (stall) {
                    release.await();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (this) {
                received.write(b, off, len);
            }
        }

        synchronized String text() {
            return received.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void shouldNeverBlockPublishersOnAStalledClientAndResyncItWithASnapshot() throws Exception {
        LiveMetrics metrics = new LiveMetrics(new PrometheusRegistry());
        LiveBoard board = new LiveBoard();
        SseClient client = new SseClient("cam-1", 100, metrics);
        StalledBrowser browser = new StalledBrowser();
        Thread writer = new Thread(() -> {
            try {
                client.write(browser, board, () -> null);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        client.offerPose("{\"device\":\"cam-1\",\"n\":-1}");
        assertTrue(browser.firstWrite.await(5, TimeUnit.SECONDS), "the writer is stuck writing to the browser");

        long started = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            synchronized (board) {
                client.offerEvent("action", board.action(LiveRecords.action("cam-1", 1, "walk", 0.5f, i)));
            }
            client.offerPose("{\"device\":\"cam-1\",\"n\":" + i + "}");
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        assertTrue(seconds < 2, "10 000 updates and poses to a stalled client took " + seconds + " s");
        assertTrue(client.queued() <= 101, "queue bounded, was " + client.queued());
        assertTrue(metrics.posesDroppedTotal() >= 9_990, "older poses replaced: " + metrics.posesDroppedTotal());
        assertTrue(metrics.resyncsTotal() >= 1, "a client 100 updates behind is resynced");

        browser.release.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!browser.text().contains("\"n\":9999") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        client.close();
        writer.join(5_000);
        String text = browser.text();
        assertTrue(text.startsWith("retry: " + SseClient.RETRY_MILLIS), text.substring(0, 20));
        assertTrue(text.contains("event: snapshot"), "resynced with a snapshot");
        assertTrue(text.contains("\"n\":9999"), "the newest pose arrives");
        assertTrue(text.split("event: pose").length - 1 <= 4, "old poses were coalesced, not queued");
        int snapshot = text.indexOf("event: snapshot");
        String afterSnapshot = text.substring(snapshot);
        // the snapshot carries the whole timeline up to the resync, so no action is lost
        assertTrue(afterSnapshot.contains("\"windowEnd\":9999"), "the last action is in the snapshot or after it");
    }

    @Test
    void shouldSendTheSnapshotFirstAndThenUpdatesInOrder() throws Exception {
        LiveMetrics metrics = new LiveMetrics(new PrometheusRegistry());
        LiveBoard board = new LiveBoard();
        synchronized (board) {
            board.action(LiveRecords.action("cam-1", 1, "walk", 0.5f, 1_000));
        }
        SseClient client = new SseClient("cam-1", 100, metrics);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread writer = new Thread(() -> {
            try {
                client.write(out, board, () -> null);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        // published before the writer took its snapshot: in the snapshot only; after: as events, once each
        for (int i = 2; i <= 5; i++) {
            synchronized (board) {
                client.offerEvent("action", board.action(LiveRecords.action("cam-1", 1, "sit", 0.5f, i * 1_000L)));
            }
            Thread.sleep(20);
        }
        Thread.sleep(200);
        client.close();
        writer.join(5_000);
        String text;
        synchronized (out) {
            text = out.toString(StandardCharsets.UTF_8);
        }
        String[] messages = text.split("\n\n");
        assertTrue(messages[1].startsWith("event: snapshot"), text);
        for (int i = 2; i <= 5; i++) {
            String end = "\"windowEnd\":" + i * 1_000;
            int inSnapshot = messages[1].contains(end) ? 1 : 0;
            int asEvents = 0;
            for (int m = 2; m < messages.length; m++) {
                asEvents += messages[m].contains(end) ? 1 : 0;
            }
            assertEquals(1, inSnapshot + asEvents, "window " + i + " delivered exactly once:\n" + text);
        }
    }
}
