package io.skelstream.streams.live;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.skelstream.streams.config.SkelStreamConfig;
import io.skelstream.streams.http.OperationsHttpServer;

/**
 * The live view of one processor, mounted on its operations port at {@link LivePage#PATH}: the feed that tails the
 * topics, the board it fills, the hub that pushes to the pages. Closed before the HTTP port.
 */
public final class LiveView implements AutoCloseable {

    /** Raw config key: {@code false} leaves the live view out (no consumer, no page). Default true. */
    public static final String ENABLED = "live.enabled";

    private final LiveBoard board;
    private final LiveHub hub;
    private final LiveFeed feed;

    private LiveView(LiveBoard board, LiveHub hub, LiveFeed feed) {
        this.board = board;
        this.hub = hub;
        this.feed = feed;
    }

    /** Whether the config asks for the live view ({@value #ENABLED}, default true). */
    public static boolean enabled(SkelStreamConfig config) {
        return config.get(ENABLED).map(v -> !v.trim().equalsIgnoreCase("false")).orElse(true);
    }

    /** Starts the feed and serves the page on the given port. */
    public static LiveView start(SkelStreamConfig config, OperationsHttpServer http, PrometheusRegistry registry) {
        LiveMetrics metrics = new LiveMetrics(registry);
        LiveBoard board = new LiveBoard();
        LatestPoses poses = new LatestPoses();
        LiveHub hub = new LiveHub(poses, metrics);
        LiveFeed feed = LiveFeed.start(config.kafkaClientProperties(), config.posesTopic(), config.actionsTopic(),
                config.alertsTopic(), board, hub, poses, metrics);
        http.addPage(LivePage.PATH, new LivePage(board, hub, metrics));
        http.redirectHomeTo(LivePage.PATH);
        return new LiveView(board, hub, feed);
    }

    public LiveBoard board() {
        return board;
    }

    @Override
    public void close() {
        feed.close();
        hub.close();
    }
}
