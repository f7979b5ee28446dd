package io.skelstream.it.harness;

import io.skelstream.encoder.ActionEncoder;
import io.skelstream.encoder.EncoderOptions;
import io.skelstream.encoder.ExecutionProvider;
import io.skelstream.encoder.ModelDescription;
import io.skelstream.encoder.ModelSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every integration test runs against: the topics SkelStream uses, the model the app loads (the bundled
 * model of {@code models/bundled/}, or streams' small probe model while a checkout has none) and the settings the
 * tests share.
 */
public final class PipelineUnderTest {

    public static final String POSES = "skel.poses";
    public static final String ACTIONS = "skel.actions";
    public static final String ALERTS = "skel.alerts";
    public static final String DEAD_LETTERS = "skel.poses.dlq";

    private PipelineUnderTest() {
    }

    public static Path repoRoot() {
        return Path.of(System.getProperty("skelstream.repoRoot", "..")).toAbsolutePath().normalize();
    }

    public static Path workDir(String test) {
        return Path.of(System.getProperty("skelstream.it.workDir", "target/it-work"), test + "-" + System.nanoTime());
    }

    public static Path bundledModel() {
        return repoRoot().resolve("models/bundled/skelstream-tiny.onnx");
    }

    /** The bundled model when present, else the probe model streams' own tests use (same contract, ntu25). */
    public static Path model() {
        Path bundled = bundledModel();
        if (Files.isRegularFile(bundled)) {
            return bundled;
        }
        return repoRoot().resolve("streams/src/test/resources/io/skelstream/streams/topology/probe-ntu25.onnx");
    }

    /** The model's contract (T, fps, labels...), read by opening it once on the CPU. */
    public static ModelDescription describe(Path model) {
        EncoderOptions options = new EncoderOptions(ExecutionProvider.CPU, 0, 1, EncoderOptions.DEFAULT_TOP_K);
        try (ActionEncoder encoder = ActionEncoder.open(ModelSource.ofPath(model), options)) {
            return encoder.description();
        } catch (Exception e) {
            throw new IllegalStateException("cannot open model " + model + ": " + e.getMessage(), e);
        }
    }

    /** Creates the four topics, each with {@code partitions} partitions. */
    public static void createTopics(ChildKafkaBroker broker, int partitions) {
        for (String topic : new String[] {POSES, ACTIONS, ALERTS, DEAD_LETTERS}) {
            broker.createTopic(topic, partitions);
        }
    }

    /**
     * Settings every test starts from: the model, CPU, one ONNX thread (two cores are shared by the broker, the app
     * and the test), an event for every window (no confidence threshold, no smoothing), so the set of action events
     * is exactly the set of windows.
     */
    public static Map<String, String> baseSettings(String applicationId) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("streams.application.id", applicationId);
        settings.put("model.path", model().toString());
        settings.put("model.provider", "CPU");
        settings.put("model.intra.op.threads", "1");
        settings.put("events.min.confidence", "0");
        settings.put("events.smoothing.windows", "1");
        return settings;
    }
}
