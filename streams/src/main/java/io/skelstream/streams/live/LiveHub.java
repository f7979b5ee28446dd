package io.skelstream.streams.live;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.skelstream.schemas.BadRecordException;

/**
 * The connected pages and the pose ticker. Updates ({@code device}, {@code action}, {@code alert}) go to every page as
 * they come; poses go only to the pages that follow that device, at most {@link #POSE_RATE_HZ} per second per device:
 * each tick takes the latest frame of each followed device that changed since the last tick (coalescing: latest
 * wins), decodes it once and offers it to those pages.
 */
public final class LiveHub implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveHub.class);

    /** Pose frames per second per device, at most. */
    public static final int POSE_RATE_HZ = 10;

    private final LatestPoses poses;
    private final LiveMetrics metrics;
    private final List<SseClient> clients = new CopyOnWriteArrayList<>();
    private final Map<String, Long> sentVersions = new HashMap<>();
    private final Thread ticker;
    private volatile boolean running = true;

    public LiveHub(LatestPoses poses, LiveMetrics metrics) {
        this.poses = poses;
        this.metrics = metrics;
        this.ticker = new Thread(this::tickLoop, "skelstream-live-poses");
        ticker.setDaemon(true);
        ticker.start();
    }

    int clientCount() {
        return clients.size();
    }

    List<SseClient> clients() {
        return List.copyOf(clients);
    }

    void add(SseClient client) {
        clients.add(client);
        metrics.clientConnected();
    }

    void remove(SseClient client) {
        if (clients.remove(client)) {
            metrics.clientDisconnected();
        }
        client.close();
    }

    /** Sends an update to every page; never blocks. Call while holding the board's monitor (see {@link LiveBoard}). */
    void publish(String type, String json) {
        for (SseClient client : clients) {
            client.offerEvent(type, json);
        }
    }

    /** The latest pose of a device as the page's JSON, or null when none (or undecodable). */
    String latestPoseJson(String device) {
        if (device == null) {
            return null;
        }
        LatestPoses.Latest latest = poses.get(device);
        if (latest == null) {
            return null;
        }
        try {
            return PoseMessage.encode(latest.value());
        } catch (BadRecordException e) {
            metrics.undecodable();
            return null;
        }
    }

    /** One tick: the newest frame of every followed device that changed, to the pages that follow it. */
    void tick() {
        Map<String, String> encoded = new HashMap<>();
        for (SseClient client : clients) {
            String device = client.followedDevice();
            if (device == null) {
                continue;
            }
            if (!encoded.containsKey(device)) {
                LatestPoses.Latest latest = poses.get(device);
                Long sent = sentVersions.get(device);
                String json = null;
                if (latest != null && (sent == null || sent != latest.version())) {
                    sentVersions.put(device, latest.version());
                    try {
                        json = PoseMessage.encode(latest.value());
                    } catch (BadRecordException e) {
                        metrics.undecodable();
                    }
                }
                encoded.put(device, json);
            }
            String json = encoded.get(device);
            if (json != null) {
                client.offerPose(json);
            }
        }
    }

    private void tickLoop() {
        long periodNanos = 1_000_000_000L / POSE_RATE_HZ;
        long next = System.nanoTime();
        while (running) {
            try {
                tick();
            } catch (RuntimeException e) {
                LOG.warn("Live pose tick failed; the next one retries", e);
            }
            next += periodNanos;
            long sleep = next - System.nanoTime();
            if (sleep < 0) {
                next = System.nanoTime(); // fell behind: skip ticks rather than burst
                continue;
            }
            try {
                Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        ticker.interrupt();
        for (SseClient client : clients) {
            remove(client);
        }
    }
}
