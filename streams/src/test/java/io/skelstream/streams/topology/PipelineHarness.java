package io.skelstream.streams.topology;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.skelstream.encoder.ActionEncoder;
import io.skelstream.encoder.EncoderOptions;
import io.skelstream.encoder.ExecutionProvider;
import io.skelstream.encoder.ModelSource;
import io.skelstream.schemas.SkelSerdes;
import io.skelstream.schemas.avro.ActionEvent;
import io.skelstream.schemas.avro.Alert;
import io.skelstream.schemas.avro.DeadLetter;
import io.skelstream.schemas.avro.PoseFrame;
import io.skelstream.streams.alerts.AlertRules;
import io.skelstream.streams.config.SkelStreamConfig;
import io.skelstream.streams.metrics.PipelineMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The real topology ({@link SkelStreamTopology#buildTopology}) with the real encoder on the probe model, in a
 * {@link TopologyTestDriver} whose wall clock starts at {@link #WALL_START}. Input records carry explicit timestamps
 * (their capture time).
 */
public final class PipelineHarness implements AutoCloseable {

    public static final String MODEL = "io/skelstream/streams/topology/probe-ntu25.onnx";
    public static final Instant WALL_START = Instant.parse("2026-11-21T12:00:00Z");
    /** Capture time of the tests' first frames: one minute before the driver's wall clock. */
    public static final long T0_MICROS = (WALL_START.toEpochMilli() - 60_000) * 1000;

    public final ActionEncoder encoder;
    public final PrometheusRegistry registry = new PrometheusRegistry();
    public final PipelineMetrics metrics = new PipelineMetrics(registry);
    public final SkelStreamConfig config;
    public final TopologyTestDriver driver;
    public final TestInputTopic<byte[], byte[]> poses;
    public final TestOutputTopic<byte[], DeadLetter> deadLetters;
    public final TestOutputTopic<String, ActionEvent> actions;
    public final TestOutputTopic<String, Alert> alerts;

    public PipelineHarness(Map<String, String> settings, AlertRules rules, Path stateDir) {
        this.encoder = ActionEncoder.open(ModelSource.ofClasspath(MODEL),
                EncoderOptions.builder().provider(ExecutionProvider.CPU).intraOpThreads(1).build());
        Map<String, String> all = new HashMap<>();
        // One window per flush unless a test says otherwise, so events follow frames without wall-clock advances.
        all.put(SkelStreamConfig.BATCH_MAX_SIZE, "1");
        // Inference on the stream thread, so the driver's pipeInput returns with the events out (tests of the
        // inference thread say so and advance the wall clock until its results are forwarded).
        all.put(SkelStreamConfig.BATCH_INFERENCE_THREAD, "false");
        all.put(SkelStreamConfig.REORDER_TOLERANCE_MS, "0");
        // Windows on the nominal grid, so tests compute their ends as start + span + k * hop (TrackWindowTest tests the
        // snap to a frame, the default; a setting of "" restores it).
        all.put(SkelStreamConfig.WINDOW_END_SNAP_MS, "0");
        all.put(SkelStreamConfig.WINDOW_HOP_FRAMES, "4");
        all.put(SkelStreamConfig.SMOOTHING_WINDOWS, "1");
        all.put(SkelStreamConfig.MIN_CONFIDENCE, "0.5");
        all.put("kafka.application.id", "skelstream-test");
        all.put("kafka.state.dir", stateDir.toString());
        all.putAll(settings);
        this.config = SkelStreamConfig.of(all);
        Properties properties = config.kafkaStreamsProperties();
        this.driver = new TopologyTestDriver(SkelStreamTopology.buildTopology(config, encoder, metrics, rules),
                properties, WALL_START);
        this.poses = driver.createInputTopic(config.posesTopic(), Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer());
        this.deadLetters = driver.createOutputTopic(config.deadLetterTopic(), Serdes.ByteArray().deserializer(),
                SkelSerdes.deadLetter().deserializer());
        this.actions = driver.createOutputTopic(config.actionsTopic(), Serdes.String().deserializer(),
                SkelSerdes.actionEvent().deserializer());
        this.alerts = driver.createOutputTopic(config.alertsTopic(), Serdes.String().deserializer(),
                SkelSerdes.alert().deserializer());
    }

    public PipelineHarness(Map<String, String> settings, Path stateDir) {
        this(settings, AlertRules.none(), stateDir);
    }

    /** Sends a frame keyed by its device, timestamped with its capture time. */
    public void send(PoseFrame frame) {
        long micros = io.skelstream.streams.events.Micros.of(frame.getCaptureTime());
        poses.pipeInput(frame.getDeviceId().getBytes(StandardCharsets.UTF_8), Frames.encode(frame),
                Instant.ofEpochMilli(micros / 1000));
    }

    public void sendRaw(byte[] key, byte[] value) {
        poses.pipeInput(key, value, WALL_START);
    }

    public void advanceWallClock(Duration duration) {
        driver.advanceWallClockTime(duration);
    }

    /** Value of a counter or gauge (summed over series matching the labels given as name, value pairs). */
    public double metric(String name, String... labels) {
        double total = 0;
        for (MetricSnapshot snapshot : registry.scrape()) {
            if (!snapshot.getMetadata().getPrometheusName().equals(name)) {
                continue;
            }
            for (DataPointSnapshot point : snapshot.getDataPoints()) {
                if (!matches(point, labels)) {
                    continue;
                }
                if (point instanceof CounterSnapshot.CounterDataPointSnapshot counter) {
                    total += counter.getValue();
                } else if (point instanceof GaugeSnapshot.GaugeDataPointSnapshot gauge) {
                    total += gauge.getValue();
                } else if (point instanceof HistogramSnapshot.HistogramDataPointSnapshot histogram) {
                    total += histogram.getCount();
                }
            }
        }
        return total;
    }

    private static boolean matches(DataPointSnapshot point, String... labels) {
        for (int i = 0; i + 1 < labels.length; i += 2) {
            if (!labels[i + 1].equals(point.getLabels().get(labels[i]))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        try {
            driver.close();
        } finally {
            encoder.close();
        }
    }
}
