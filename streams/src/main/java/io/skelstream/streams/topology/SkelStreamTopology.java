package io.skelstream.streams.topology;

import io.skelstream.encoder.ActionEncoder;
import io.skelstream.encoder.ModelDescription;
import io.skelstream.schemas.SingleObjectCodec;
import io.skelstream.schemas.SkelSerdes;
import io.skelstream.schemas.SkeletonLayout;
import io.skelstream.schemas.SkeletonLayouts;
import io.skelstream.schemas.ValidationLimits;
import io.skelstream.schemas.avro.PoseFrame;
import io.skelstream.streams.alerts.AlertProcessor;
import io.skelstream.streams.alerts.AlertRules;
import io.skelstream.streams.config.ConfigException;
import io.skelstream.streams.config.SkelStreamConfig;
import io.skelstream.streams.events.ActionEventProcessor;
import io.skelstream.streams.inference.InferenceBatcher;
import io.skelstream.streams.metrics.PipelineMetrics;
import io.skelstream.streams.window.TrackWindowProcessor;
import io.skelstream.streams.window.WindowGeometry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The SkelStream topology, the one every deployment and every test runs.
 *
 * <pre>
 * skel.poses (bytes) --> frame-intake --bad--------------------------------------------> skel.poses.dlq (DeadLetter)
 *                            | AcceptedFrame                                      ^ late frames
 *                        track-windows [track-frames, track-state, device-sequence, pending-windows]
 *                            | InferredWindow / TrackEnded       (batched inference through the shared encoder)
 *                        action-events [track-smoothing] ------------------------> skel.actions (ActionEvent)
 *                            | SmoothedWindow / TrackEnded
 *                        alert-rules [track-alerts] -----------------------------> skel.alerts (Alert)
 * </pre>
 *
 * Input is keyed by device id, so every track of a device lives in one task and nothing is repartitioned; scaling
 * out is more partitions and more instances. Topic names come from {@link SkelStreamConfig}; every store is
 * changelogged (see {@link TrackWindowProcessor} for why exactly-once holds). Run it with
 * {@code new KafkaStreams(buildTopology(config, encoder, metrics), config.kafkaStreamsProperties())}.
 */
public final class SkelStreamTopology {

    public static final String SOURCE = "poses-source";
    public static final String FRAME_INTAKE = "frame-intake";
    public static final String TRACK_WINDOWS = "track-windows";
    public static final String ACTION_EVENTS = "action-events";
    public static final String ALERT_RULES = "alert-rules";
    public static final String DEAD_LETTER_SINK = "dead-letter-sink";
    public static final String ACTIONS_SINK = "actions-sink";
    public static final String ALERTS_SINK = "alerts-sink";

    private SkelStreamTopology() {
    }

    /**
     * Builds the topology with the alert rules of {@code alerts.rules.file} (none when unset) and the bundled layouts.
     *
     * @param encoder the one shared encoder of this instance (its model fixes T, M, V, fps, layout and labels); the
     *                caller opens and closes it
     * @param metrics where the pipeline's metrics go
     * @throws ConfigException when the model's layout is unknown, or the alert rules are unreadable or name labels the
     *                         model does not have
     */
    public static Topology buildTopology(SkelStreamConfig config, ActionEncoder encoder, PipelineMetrics metrics) {
        AlertRules rules = config.alertRulesFile().map(AlertRules::read).orElse(AlertRules.none());
        return buildTopology(config, encoder, metrics, rules);
    }

    /** As {@link #buildTopology(SkelStreamConfig, ActionEncoder, PipelineMetrics)} with the given alert rules. */
    public static Topology buildTopology(SkelStreamConfig config, ActionEncoder encoder, PipelineMetrics metrics,
                                         AlertRules rules) {
        ModelDescription model = encoder.description();
        SkeletonLayouts layouts = SkeletonLayouts.bundled();
        SkeletonLayout modelLayout = layouts.find(model.layout()).orElseThrow(() -> new ConfigException("model '"
                + model.name() + "' uses layout '" + model.layout() + "', which layouts.json does not define (known: "
                + layouts.names() + ")"));
        if (modelLayout.jointCount() != model.joints()) {
            throw new ConfigException("model '" + model.name() + "' has " + model.joints() + " joints but its layout "
                    + model.layout() + " has " + modelLayout.jointCount());
        }
        rules.checkLabels(model.labels());

        WindowGeometry geometry = WindowGeometry.of(model, config);
        InferenceBatcher batcher = new InferenceBatcher(encoder, config.batchMaxSize(), config.batchMergeWaitMs(),
                metrics);
        boolean inferenceThread = config.batchInferenceThread();
        SingleObjectCodec<PoseFrame> codec = SkelSerdes.poseFrame().codec();
        ValidationLimits limits = new ValidationLimits((float) config.maxAbsCoordinateMetres(),
                Duration.ofMillis(config.maxFutureMs()), Instant.EPOCH, config.maxDeviceIdLength(), 64,
                config.maxTracksPerDevice());

        Topology topology = new Topology();
        topology.addSource(SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
                config.posesTopic());
        topology.addProcessor(FRAME_INTAKE, () -> new FrameIntakeProcessor(codec, layouts, modelLayout, limits,
                metrics, DEAD_LETTER_SINK, TRACK_WINDOWS), SOURCE);
        topology.addProcessor(TRACK_WINDOWS, () -> new TrackWindowProcessor(geometry, modelLayout.centre(), batcher,
                metrics, config.trackInactivityMs(), config.maxTracksPerDevice(), config.batchMaxWaitMs(),
                config.commitOnEmit(), inferenceThread, config.batchShedAgeMs(), DEAD_LETTER_SINK, ACTION_EVENTS),
                FRAME_INTAKE);
        topology.addProcessor(ACTION_EVENTS, () -> new ActionEventProcessor(model, config.smoothingWindows(),
                config.minConfidence(), config.emitMode(), config.topK(), metrics, ACTIONS_SINK, ALERT_RULES),
                TRACK_WINDOWS);
        topology.addProcessor(ALERT_RULES, () -> new AlertProcessor(rules, model.labels(),
                2 * geometry.hopMicros(), metrics, ALERTS_SINK), ACTION_EVENTS);

        topology.addSink(DEAD_LETTER_SINK, config.deadLetterTopic(), erased(Serdes.ByteArray().serializer()),
                erased(SkelSerdes.deadLetter().serializer()), FRAME_INTAKE, TRACK_WINDOWS);
        topology.addSink(ACTIONS_SINK, config.actionsTopic(), erased(Serdes.String().serializer()),
                erased(SkelSerdes.actionEvent().serializer()), ACTION_EVENTS);
        topology.addSink(ALERTS_SINK, config.alertsTopic(), erased(Serdes.String().serializer()),
                erased(SkelSerdes.alert().serializer()), ALERT_RULES);

        boolean persistentFrames = config.persistentWindowStores();
        topology.addStateStore(store(TrackWindowProcessor.FRAMES_STORE, persistentFrames, false,
                SHORT_LIVED_CHANGELOG), TRACK_WINDOWS);
        topology.addStateStore(store(TrackWindowProcessor.PENDING_STORE, persistentFrames, true,
                SHORT_LIVED_CHANGELOG), TRACK_WINDOWS);
        topology.addStateStore(store(TrackWindowProcessor.TRACKS_STORE, true, true, Map.of()), TRACK_WINDOWS);
        topology.addStateStore(store(TrackWindowProcessor.DEVICES_STORE, true, true, Map.of()), TRACK_WINDOWS);
        topology.addStateStore(store(ActionEventProcessor.SMOOTHING_STORE, true, true, Map.of()), ACTION_EVENTS);
        topology.addStateStore(store(AlertProcessor.ALERT_STORE, true, true, Map.of()), ALERT_RULES);
        return topology;
    }

    /**
     * Changelog settings of the frame and pending-window stores. Their entries are deleted seconds after they are
     * written, so compaction leaves almost nothing, but only closed segments are compacted: short segments (and a
     * short tombstone retention) keep what a restore must read to a few minutes of frames instead of a week's.
     */
    static final long SHORT_LIVED_SEGMENT_MS = 300_000;
    private static final Map<String, String> SHORT_LIVED_CHANGELOG = Map.of(
            "cleanup.policy", "compact",
            "segment.ms", String.valueOf(SHORT_LIVED_SEGMENT_MS),
            "delete.retention.ms", String.valueOf(SHORT_LIVED_SEGMENT_MS),
            "min.cleanable.dirty.ratio", "0.1");

    /**
     * A changelogged byte store. Caching coalesces repeated writes of one key within a commit interval into one
     * changelog record (track state on every frame; a pending window written and deleted before the commit never
     * reaches the changelog). The frame store is not cached: each frame is its own key and outlives a commit.
     * Frames and pending windows are in memory unless {@code state.window.stores=persistent}: they churn (every
     * entry is deleted seconds after it is written), which RocksDB serves poorly (range scans over deletions), and
     * under exactly-once a crashed instance rebuilds even persistent stores from the changelog.
     */
    private static StoreBuilder<KeyValueStore<Bytes, byte[]>> store(String name, boolean persistent, boolean cached,
                                                                     Map<String, String> changelogConfig) {
        KeyValueBytesStoreSupplier supplier = persistent ? Stores.persistentKeyValueStore(name)
                : Stores.inMemoryKeyValueStore(name);
        StoreBuilder<KeyValueStore<Bytes, byte[]>> builder = Stores.keyValueStoreBuilder(supplier, Serdes.Bytes(),
                Serdes.ByteArray()).withLoggingEnabled(changelogConfig);
        return cached ? builder.withCachingEnabled() : builder.withCachingDisabled();
    }

    /** Sinks receive records whose key and value types the processors fix; the serializer sees them as Object. */
    @SuppressWarnings("unchecked")
    private static Serializer<Object> erased(Serializer<?> serializer) {
        return (Serializer<Object>) serializer;
    }
}
