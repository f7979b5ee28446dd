package io.skelstream.streams.live;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One connected page: a bounded queue of messages and its own writer thread, so that a slow or stalled browser
 * delays nobody but itself.
 *
 * <p>Publishers never block: {@link #offerEvent} appends an action, alert or device event; past {@link #maxQueued}
 * queued events the client is too far behind to catch up message by message, so its queue is dropped and it gets a
 * fresh snapshot instead (counted as a resync). {@link #offerPose} keeps one slot per followed device: a newer frame
 * replaces one the client has not taken yet (counted as dropped), so a slow client gets fewer frames, never old ones.
 */
final class SseClient {

    /** Comment line written when nothing else was for this long, so proxies and browsers keep the stream open. */
    static final long KEEPALIVE_MILLIS = 15_000;
    /** How long the browser waits before reconnecting after the stream ends (app restart). */
    static final int RETRY_MILLIS = 1_000;

    private final String followedDevice;
    private final int maxQueued;
    private final LiveMetrics metrics;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<String> events = new ArrayDeque<>();
    private String pendingPose;
    private boolean needsSnapshot = true;
    private boolean closed;

    /**
     * @param followedDevice the device whose poses this page draws, or null for none
     * @param maxQueued      events queued before the client is resynced with a snapshot
     */
    SseClient(String followedDevice, int maxQueued, LiveMetrics metrics) {
        this.followedDevice = followedDevice;
        this.maxQueued = maxQueued;
        this.metrics = metrics;
    }

    String followedDevice() {
        return followedDevice;
    }

    /** Queues an event; never blocks. */
    void offerEvent(String type, String json) {
        lock.lock();
        try {
            if (closed || needsSnapshot) {
                return; // the snapshot still to be sent will contain it
            }
            if (events.size() >= maxQueued) {
                events.clear();
                pendingPose = null;
                needsSnapshot = true;
                metrics.resynced();
            } else {
                events.addLast(format(type, json));
            }
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Offers the followed device's latest pose; a frame not yet taken is replaced. Never blocks. */
    void offerPose(String json) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (pendingPose != null) {
                metrics.poseDropped();
            }
            pendingPose = format("pose", json);
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Stops the writer; safe from any thread. */
    void close() {
        lock.lock();
        try {
            closed = true;
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** Events waiting to be written (for tests and the load benchmark). */
    int queued() {
        lock.lock();
        try {
            return events.size() + (pendingPose == null ? 0 : 1);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The writer loop: runs on the client's own thread until the browser goes away or {@link #close()}.
     *
     * @param board    source of snapshots
     * @param snapshotPose the latest pose of the followed device as JSON, or null
     */
    void write(OutputStream out, LiveBoard board, java.util.function.Supplier<String> snapshotPose)
            throws IOException, InterruptedException {
        out.write(("retry: " + RETRY_MILLIS + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        StringBuilder batch = new StringBuilder();
        while (true) {
            batch.setLength(0);
            boolean snapshot = false;
            lock.lock();
            try {
                if (!closed && !needsSnapshot && events.isEmpty() && pendingPose == null) {
                    changed.await(KEEPALIVE_MILLIS, TimeUnit.MILLISECONDS);
                }
                if (closed) {
                    return;
                }
                if (needsSnapshot) {
                    snapshot = true;
                } else {
                    int count = 0;
                    while (!events.isEmpty()) {
                        batch.append(events.removeFirst());
                        count++;
                    }
                    if (count > 0) {
                        metrics.sent("update");
                    }
                    if (pendingPose != null) {
                        batch.append(pendingPose);
                        pendingPose = null;
                        metrics.sent("pose");
                    }
                }
            } finally {
                lock.unlock();
            }
            if (snapshot) {
                batch.append(takeSnapshot(board, snapshotPose));
                metrics.sent("snapshot");
            }
            if (batch.length() == 0) {
                batch.append(": keepalive\n\n");
            }
            out.write(batch.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    /**
     * Builds the snapshot under the board's monitor and clears the queue under it too: updates published before
     * are in the snapshot, updates after it are queued behind it, none twice, none lost.
     */
    private String takeSnapshot(LiveBoard board, java.util.function.Supplier<String> snapshotPose) {
        String pose = snapshotPose.get();
        synchronized (board) {
            String json = board.snapshot(followedDevice, pose);
            lock.lock();
            try {
                events.clear();
                needsSnapshot = false;
            } finally {
                lock.unlock();
            }
            return format("snapshot", json);
        }
    }

    /** One server-sent event; JSON never contains a raw newline, so one data line suffices. */
    static String format(String type, String json) {
        return "event: " + type + "\ndata: " + json + "\n\n";
    }
}
