package io.skelstream.streams.live;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** What the live view's server side does, on {@code /metrics}: clients, messages sent, frames dropped for slow ones. */
public final class LiveMetrics {

    private final Gauge clients;
    private final Counter messagesSent;
    private final Counter posesDropped;
    private final Counter resyncs;
    private final Counter recordsRead;
    private final Counter undecodable;

    public LiveMetrics(PrometheusRegistry registry) {
        clients = Gauge.builder().name("skelstream_live_clients")
                .help("Browsers connected to /live/events").register(registry);
        messagesSent = Counter.builder().name("skelstream_live_messages_sent")
                .help("Server-sent events written to live clients").labelNames("type").register(registry);
        posesDropped = Counter.builder().name("skelstream_live_poses_dropped")
                .help("Pose frames replaced by a newer one before a slow client took them (latest wins)")
                .register(registry);
        resyncs = Counter.builder().name("skelstream_live_resyncs")
                .help("Times a client fell so far behind that its queue was dropped and a fresh snapshot sent")
                .register(registry);
        recordsRead = Counter.builder().name("skelstream_live_records_read")
                .help("Records the live feed read from the output and pose topics").labelNames("topic")
                .register(registry);
        undecodable = Counter.builder().name("skelstream_live_records_undecodable")
                .help("Records the live feed could not decode (they are the pipeline's dead letters to judge)")
                .register(registry);
    }

    /** A registry of its own, for tests and for uses without /metrics. */
    public static LiveMetrics unregistered() {
        return new LiveMetrics(new PrometheusRegistry());
    }

    void clientConnected() {
        clients.inc();
    }

    void clientDisconnected() {
        clients.dec();
    }

    void sent(String type) {
        messagesSent.labelValues(type).inc();
    }

    void poseDropped() {
        posesDropped.inc();
    }

    void resynced() {
        resyncs.inc();
    }

    void read(String topic, int records) {
        recordsRead.labelValues(topic).inc(records);
    }

    void undecodable() {
        undecodable.inc();
    }

    long posesDroppedTotal() {
        return (long) posesDropped.get();
    }

    long resyncsTotal() {
        return (long) resyncs.get();
    }
}
