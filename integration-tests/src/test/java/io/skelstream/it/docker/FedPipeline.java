package io.skelstream.it.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.skelstream.encoder.ActionEncoder;
import io.skelstream.encoder.EncoderOptions;
import io.skelstream.encoder.ExecutionProvider;
import io.skelstream.encoder.ModelDescription;
import io.skelstream.encoder.ModelSource;
import io.skelstream.it.harness.ChildKafkaBroker;
import io.skelstream.streams.app.ProcessingTopology;
import io.skelstream.streams.app.SkelStreamApplication;
import io.skelstream.streams.cli.Main;
import io.skelstream.streams.config.SkelStreamConfig;

/**
 * A SkelStream processor that has seen traffic, as the compose stack runs it: a Kafka broker (child JVM), the
 * topics made by the {@code topics} command, the processor started in this JVM on a free loopback HTTP port, frames
 * published by the {@code replay} command (the compose stack's device feed, with its flags) and one undecodable
 * record. Alert rules and a zero confidence threshold make sure every labelled series (events by label, alerts by
 * rule, dead letters by kind) has a sample, since a labelled counter shows up on /metrics only once it has one.
 */
public final class FedPipeline implements AutoCloseable {

    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(90);
    /** Series that must carry samples before the pipeline counts as fed. */
    private static final List<String> FED_SERIES = List.of("skelstream_frames_in_total", "skelstream_windows_inferred_total",
            "skelstream_events_total", "skelstream_alerts_total", "skelstream_dead_letters_total",
            "skelstream_inference_latency_seconds_bucket", "skelstream_event_latency_seconds_bucket",
            "kafka_streams_consumer_fetch_manager_records_lag");

    private final ChildKafkaBroker broker;
    private final SkelStreamApplication application;
    private final Path model;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private FedPipeline(ChildKafkaBroker broker, SkelStreamApplication application, Path model) {
        this.broker = broker;
        this.application = application;
        this.model = model;
    }

    /** Starts everything under {@code workDir} and returns once the counters have stopped moving. */
    public static FedPipeline start(Path workDir) throws Exception {
        Files.createDirectories(workDir);
        ChildKafkaBroker broker = ChildKafkaBroker.start(workDir.resolve("broker"));
        SkelStreamApplication application = null;
        try {
            String bootstrap = broker.bootstrapServers();
            int topics = Main.execute("topics", "--bootstrap", bootstrap, "--partitions", "2", "--timeout", "60s");
            if (topics != 0) {
                throw new IllegalStateException("skelstream topics exited with " + topics);
            }
            Path model = modelUnderTest();
            ModelDescription description = describe(model);
            Path rules = writeAlertRules(workDir.resolve("alert-rules.json"), description);
            Path dataset = writeDataset(workDir.resolve("feed.jsonl"), description);

            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("kafka.bootstrap.servers", bootstrap);
            settings.put("streams.application.id", "docker-it-" + UUID.randomUUID().toString().substring(0, 8));
            settings.put("streams.state.dir", workDir.resolve("state").toString());
            settings.put(SkelStreamConfig.HTTP_HOST, "127.0.0.1");
            settings.put(SkelStreamConfig.HTTP_PORT, "0");
            settings.put(SkelStreamConfig.MODEL_PATH, model.toString());
            settings.put(SkelStreamConfig.MODEL_PROVIDER, "CPU");
            settings.put(SkelStreamConfig.MODEL_INTRA_OP_THREADS, "1");
            settings.put(SkelStreamConfig.ALERT_RULES_FILE, rules.toString());
            settings.put(SkelStreamConfig.MIN_CONFIDENCE, "0");
            application = SkelStreamApplication.start(SkelStreamConfig.of(settings), ProcessingTopology.factory());
            if (!application.awaitReady(Duration.ofSeconds(90))) {
                throw new IllegalStateException("the processor did not become ready: " + application.readiness());
            }

            // The compose stack's device feed, bounded: same command and flags, --duration instead of forever.
            int replay = Main.execute("replay", dataset.toString(), "--bootstrap", bootstrap, "--devices", "2", "--loop",
                    "--duration", "6s", "--no-progress", "--jitter-ms", "5");
            if (replay != 0) {
                throw new IllegalStateException("skelstream replay exited with " + replay);
            }
            publishUndecodableRecord(bootstrap);

            FedPipeline pipeline = new FedPipeline(broker, application, model);
            pipeline.awaitSettled();
            return pipeline;
        } catch (Exception | Error e) {
            if (application != null) {
                application.close();
            }
            broker.close();
            throw e;
        }
    }

    /** The bundled model when the trainer has committed it, else the streams module's probe model (same contract). */
    static Path modelUnderTest() {
        Path root = DockerFolder.repositoryRoot();
        Path bundled = root.resolve("models/bundled/skelstream-tiny.onnx");
        if (Files.isRegularFile(bundled)) {
            return bundled;
        }
        Path probe = root.resolve("streams/src/test/resources/io/skelstream/streams/topology/probe-ntu25.onnx");
        if (!Files.isRegularFile(probe)) {
            throw new IllegalStateException("neither " + bundled + " nor " + probe + " exists");
        }
        return probe;
    }

    private static ModelDescription describe(Path model) {
        try (ActionEncoder encoder = ActionEncoder.open(ModelSource.ofPath(model),
                EncoderOptions.builder().provider(ExecutionProvider.CPU).intraOpThreads(1).build())) {
            return encoder.description();
        }
    }

    /** One rule over every label at confidence 0: the first event raises it. */
    private static Path writeAlertRules(Path file, ModelDescription model) throws IOException {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("id", "docker-it-any-action");
        rule.put("labels", model.labels());
        rule.put("min_confidence", 0.0);
        new ObjectMapper().writeValue(file.toFile(), Map.of("rules", List.of(rule)));
        return file;
    }

    /**
     * Two sequences (contract 4 JSON Lines) in the model's layout and fps, one person moving smoothly, each 2.5
     * windows long; joints are metres in front of the camera, never all-zero.
     */
    private static Path writeDataset(Path file, ModelDescription model) throws IOException {
        ObjectMapper json = new ObjectMapper();
        int frames = (int) Math.ceil(model.frames() * 2.5);
        StringBuilder lines = new StringBuilder();
        for (int sequence = 0; sequence < 2; sequence++) {
            List<Object> timeline = new ArrayList<>(frames);
            for (int t = 0; t < frames; t++) {
                double seconds = t / model.fps();
                List<Object> joints = new ArrayList<>(model.joints());
                for (int j = 0; j < model.joints(); j++) {
                    double x = 0.3 * Math.sin(2 * Math.PI * 0.5 * seconds + 0.1 * j + sequence) + 0.01 * j;
                    double y = 0.8 + 0.03 * j;
                    double z = 2.5 + 0.05 * Math.cos(2 * Math.PI * 0.25 * seconds);
                    joints.add(List.of(x, y, z));
                }
                timeline.add(List.of(joints)); // M = 1 person
            }
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("id", "docker-it-" + sequence);
            record.put("label", model.labels().get(sequence % model.labels().size()));
            record.put("layout", model.layout());
            record.put("fps", model.fps());
            record.put("frames", timeline);
            lines.append(json.writeValueAsString(record)).append('\n');
        }
        Files.writeString(file, lines.toString(), StandardCharsets.UTF_8);
        return file;
    }

    private static void publishUndecodableRecord(String bootstrap) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(SkelStreamConfig.DEFAULT_TOPIC_POSES, "docker-it-broken-device",
                    "not a pose frame".getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    /** Waits until every fed series has samples and the frame counter is the same on two scrapes 2 s apart. */
    private void awaitSettled() throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        double previousFrames = -1;
        MetricsExposition last = null;
        while (System.nanoTime() < deadline) {
            last = scrape();
            boolean complete = FED_SERIES.stream().allMatch(last::hasSeries);
            double frames = last.hasSeries("skelstream_frames_in_total") ? last.sum("skelstream_frames_in_total") : -1;
            if (complete && frames > 0 && frames == previousFrames) {
                return;
            }
            previousFrames = frames;
            Thread.sleep(2000);
        }
        List<String> missing = new ArrayList<>();
        for (String series : FED_SERIES) {
            if (last == null || !last.hasSeries(series)) {
                missing.add(series);
            }
        }
        throw new IllegalStateException("the pipeline did not settle within " + SETTLE_TIMEOUT + "; series without samples: "
                + missing + "; readiness " + application.readiness());
    }

    /** The app's /metrics, parsed. */
    public MetricsExposition scrape() {
        return MetricsExposition.parse(get("/metrics"));
    }

    /** GET a path of the app's HTTP port; fails on a status other than 200. */
    public String get(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int httpPort() {
        return application.http().port();
    }

    public Path model() {
        return model;
    }

    @Override
    public void close() throws InterruptedException {
        try {
            application.close();
        } finally {
            broker.close();
        }
    }
}
