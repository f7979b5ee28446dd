package io.skelstream.streams.metrics;

import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.skelstream.schemas.avro.ErrorKind;

/**
 * The pipeline's own Prometheus metrics, registered into a registry the caller owns (the HTTP server serves that
 * registry together with JVM metrics and Kafka Streams' client metrics). No per-device label: label cardinality stays
 * bounded by the number of error kinds, labels and alert rules.
 *
 * <p>Names (Prometheus adds {@code _total} to counters in the exposition):
 * <pre>
 * skelstream_frames_in_total                          frames decoded from the poses topic (good or bad)
 * skelstream_dead_letters_total{kind}                 records sent to the dead-letter topic, by error kind
 * skelstream_frames_late_total                        frames behind their track by more than the reorder tolerance (dropped)
 * skelstream_frames_duplicate_total                   repeated frames (same device sequence or track + capture time; dropped)
 * skelstream_frames_reordered_total                   frames that arrived out of order within the tolerance (kept, put in order)
 * skelstream_window_restarts_total                    tracks whose window restarted after a gap longer than the max gap
 * skelstream_tracks_expired_total                     tracks freed after the inactivity timeout
 * skelstream_active_tracks                            tracks currently held, over all tasks of this instance
 * skelstream_windows_inferred_total                   windows run through the encoder
 * skelstream_windows_shed_total                       due windows not inferred because they were older than batch.shed.age.ms
 * skelstream_inference_batch_size                     windows per encoder call (histogram)
 * skelstream_inference_latency_seconds                wall time of one encoder call (histogram)
 * skelstream_event_latency_seconds                    capture time of a window's last frame to its event (histogram)
 * skelstream_events_total{label}                      action events published, by label
 * skelstream_alerts_total{rule,state}                 alerts published, by rule and state (raised / cleared)
 * </pre>
 */
public final class PipelineMetrics {

    private final Counter framesIn;
    private final Counter deadLetters;
    private final Counter framesLate;
    private final Counter framesDuplicate;
    private final Counter framesReordered;
    private final Counter windowRestarts;
    private final Counter tracksExpired;
    private final Gauge activeTracks;
    private final Counter windowsInferred;
    private final Counter windowsShed;
    private final Histogram batchSize;
    private final Histogram inferenceLatency;
    private final Histogram eventLatency;
    private final DistributionDataPoint windowDue;
    private final DistributionDataPoint windowBatched;
    private final DistributionDataPoint windowForwarded;
    private final Counter events;
    private final Counter alerts;

    public PipelineMetrics(PrometheusRegistry registry) {
        framesIn = Counter.builder().name("skelstream_frames_in")
                .help("Frames read from the poses topic, good or bad").register(registry);
        deadLetters = Counter.builder().name("skelstream_dead_letters")
                .help("Records sent to the dead-letter topic, by error kind").labelNames("kind").register(registry);
        // Every kind at 0 from the start: a rate() or an alert on a kind sees a series before its first dead letter.
        for (ErrorKind kind : ErrorKind.values()) {
            deadLetters.labelValues(kind.name());
        }
        framesLate = Counter.builder().name("skelstream_frames_late")
                .help("Frames older than their track's newest frame by more than the reorder tolerance; dropped")
                .register(registry);
        framesDuplicate = Counter.builder().name("skelstream_frames_duplicate")
                .help("Repeated frames (same device sequence, or same track and capture time); dropped")
                .register(registry);
        framesReordered = Counter.builder().name("skelstream_frames_reordered")
                .help("Frames that arrived out of order within the reorder tolerance and were put in order")
                .register(registry);
        windowRestarts = Counter.builder().name("skelstream_window_restarts")
                .help("Track windows restarted after a gap longer than the max gap").register(registry);
        tracksExpired = Counter.builder().name("skelstream_tracks_expired")
                .help("Tracks freed after the inactivity timeout").register(registry);
        activeTracks = Gauge.builder().name("skelstream_active_tracks")
                .help("Tracks currently held by this instance").register(registry);
        windowsInferred = Counter.builder().name("skelstream_windows_inferred")
                .help("Windows run through the encoder").register(registry);
        windowsShed = Counter.builder().name("skelstream_windows_shed")
                .help("Due windows not inferred (no event) because they were older than batch.shed.age.ms when "
                        + "their batch was built: the instance is over capacity").register(registry);
        batchSize = Histogram.builder().name("skelstream_inference_batch_size")
                .help("Windows per encoder call").classicOnly()
                .classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128, 256, 512).register(registry);
        inferenceLatency = Histogram.builder().name("skelstream_inference_latency_seconds")
                .help("Wall time of one encoder call").classicOnly()
                .classicUpperBounds(0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2)
                .register(registry);
        eventLatency = Histogram.builder().name("skelstream_event_latency_seconds")
                .help("From the capture time of a window's last frame to the emission of its event").classicOnly()
                .classicUpperBounds(0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60).register(registry);
        // Fine buckets below 250 ms: the benchmarks read a window's latency tail, stage by stage, from these.
        Histogram windowStages = Histogram.builder().name("skelstream_window_stage_latency_seconds")
                .help("From a window's end (capture time of its newest instant) to a stage of its way through this "
                        + "instance: due (the frame completing it processed), batched (its batch built and handed to "
                        + "the encoder), forwarded (its result forwarded to the event processors; downstream "
                        + "read_committed consumers see it after the next commit)")
                .labelNames("stage").classicOnly()
                .classicUpperBounds(0.005, 0.01, 0.015, 0.02, 0.025, 0.03, 0.035, 0.04, 0.045, 0.05, 0.06, 0.07, 0.08,
                        0.09, 0.1, 0.11, 0.12, 0.13, 0.14, 0.15, 0.175, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1, 2, 5, 10, 30)
                .register(registry);
        windowDue = windowStages.labelValues("due");
        windowBatched = windowStages.labelValues("batched");
        windowForwarded = windowStages.labelValues("forwarded");
        events = Counter.builder().name("skelstream_events")
                .help("Action events published, by label").labelNames("label").register(registry);
        alerts = Counter.builder().name("skelstream_alerts")
                .help("Alerts published, by rule and state").labelNames("rule", "state").register(registry);
    }

    public void frameIn() {
        framesIn.inc();
    }

    /** @param kind the dead-letter error kind as written in the record (e.g. {@code UNDECODABLE}) */
    public void deadLetter(String kind) {
        deadLetters.labelValues(kind).inc();
    }

    public void lateFrame() {
        framesLate.inc();
    }

    public void duplicateFrame() {
        framesDuplicate.inc();
    }

    public void reorderedFrame() {
        framesReordered.inc();
    }

    public void windowRestart() {
        windowRestarts.inc();
    }

    public void trackExpired() {
        tracksExpired.inc();
    }

    /** Tracks gained (positive) or freed (negative) by one task. */
    public void activeTracksChanged(int delta) {
        activeTracks.inc(delta);
    }

    public void windowShed() {
        windowsShed.inc();
    }

    public void batchInferred(int windows, long nanos) {
        windowsInferred.inc(windows);
        batchSize.observe(windows);
        inferenceLatency.observe(nanos / 1e9);
    }

    /** A window became due: {@code millis} from its end (capture time) to the processing of its last frame. */
    public void windowDue(long millis) {
        windowDue.observe(Math.max(0, millis) / 1e3);
    }

    /** A window's batch was handed to the encoder, {@code millis} after the window's end. */
    public void windowBatched(long millis) {
        windowBatched.observe(Math.max(0, millis) / 1e3);
    }

    /** A window's result was forwarded, {@code millis} after the window's end. */
    public void windowForwarded(long millis) {
        windowForwarded.observe(Math.max(0, millis) / 1e3);
    }

    public void eventEmitted(String label, long latencyMillis) {
        events.labelValues(label).inc();
        eventLatency.observe(Math.max(0, latencyMillis) / 1e3);
    }

    /** @param state {@code RAISED} or {@code CLEARED} */
    public void alertEmitted(String ruleId, String state) {
        alerts.labelValues(ruleId, state).inc();
    }
}
