package io.skelstream.streams.app;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.skelstream.encoder.ActionEncoder;
import io.skelstream.encoder.EncoderOptions;
import io.skelstream.encoder.ExecutionProvider;
import io.skelstream.encoder.ModelDescription;
import io.skelstream.encoder.ModelSource;
import io.skelstream.streams.config.SkelStreamConfig;
import io.skelstream.streams.http.KafkaClientMetricsCollector;
import io.skelstream.streams.http.OperationsHttpServer;
import io.skelstream.streams.http.Readiness;
import io.skelstream.streams.live.LiveView;
import io.skelstream.streams.metrics.PipelineMetrics;

/**
 * One running SkelStream processor: the HTTP port, the model, and Kafka Streams around the topology.
 *
 * <p>Start-up, in order, each failing with a {@link StartupException} that says what to fix: open the HTTP port
 * ({@code /healthz} answers from here on, {@code /readyz} says what start-up is waiting for), reach the broker, find
 * the topics, load the model, start Kafka Streams. Ready when Kafka Streams is RUNNING and the model is loaded.
 *
 * <p>Shutdown ({@link #close()}, also from a SIGTERM hook): Kafka Streams first, with a timeout, so stream threads
 * finish their current transaction and leave the group; then the encoder, which no thread uses any more; then the
 * HTTP port, last, so probes see the shutdown.
 */
public final class SkelStreamApplication implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SkelStreamApplication.class);

    private final SkelStreamConfig config;
    private final PrometheusRegistry registry;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();

    private volatile String startupPhase = "starting";
    private volatile OperationsHttpServer http;
    private volatile ActionEncoder encoder;
    private volatile KafkaStreams streams;
    private volatile KafkaClientMetricsCollector clientMetrics;
    private volatile LiveView live;

    private SkelStreamApplication(SkelStreamConfig config, PrometheusRegistry registry) {
        this.config = config;
        this.registry = registry;
    }

    /**
     * Starts a processor with the default topology and a fresh metrics registry.
     *
     * @throws StartupException when the broker, a topic or the model is missing (with the fix in the message)
     */
    public static SkelStreamApplication start(SkelStreamConfig config, TopologyFactory topology) {
        return start(config, topology, new PrometheusRegistry());
    }

    /** Starts a processor whose metrics go into the given registry (also served on {@code /metrics}). */
    public static SkelStreamApplication start(SkelStreamConfig config, TopologyFactory topology,
                                              PrometheusRegistry registry) {
        JvmMetrics.builder().register(registry);
        PipelineMetrics metrics = new PipelineMetrics(registry);
        SkelStreamApplication application = new SkelStreamApplication(config, registry);
        try {
            application.startProcessing(topology, metrics);
            return application;
        } catch (RuntimeException | Error e) {
            application.close();
            throw e;
        }
    }

    private void startProcessing(TopologyFactory topologyFactory, PipelineMetrics metrics) {
        // First, so that probes get answers (and /readyz says what start-up waits for) while the rest starts.
        http = OperationsHttpServer.start(config.httpHost(), config.httpPort(), registry, this::readiness);

        Map<String, String> client = config.kafkaClientProperties();
        String bootstrap = client.get("bootstrap.servers");
        Duration brokerTimeout = config.startupBrokerTimeout();

        startupPhase = "connecting to Kafka at " + bootstrap;
        try (Admin admin = StartupChecks.connectAdmin(client, brokerTimeout)) {
            startupPhase = "checking topics";
            StartupChecks.requireTopics(admin, List.of(config.posesTopic(), config.actionsTopic(), config.alertsTopic(),
                    config.deadLetterTopic()), bootstrap, brokerTimeout);
        }

        startupPhase = "loading the model";
        ModelSource source = StartupChecks.modelSource(config.modelPath());
        encoder = ActionEncoder.open(source, encoderOptions(config));
        ModelDescription model = encoder.description();
        LOG.info("Model {} loaded from {}: layout {}, {} frames at {} fps, {} persons, {} labels, on {}", model.name(),
                source, model.layout(), model.frames(), model.fps(), model.persons(), model.labelCount(),
                encoder.provider());

        startupPhase = "starting Kafka Streams";
        Topology topology = topologyFactory.build(config, encoder, metrics);
        Properties properties = config.kafkaStreamsProperties();
        KafkaStreams kafkaStreams = new KafkaStreams(topology, properties);
        kafkaStreams.setStateListener((now, before) -> {
            LOG.info("Kafka Streams state {} -> {}", before, now);
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                stopped.countDown();
            }
        });
        kafkaStreams.setUncaughtExceptionHandler(new StreamThreadFailurePolicy());
        clientMetrics = new KafkaClientMetricsCollector(KafkaClientMetricsCollector.DEFAULT_PREFIX, kafkaStreams::metrics);
        registry.register(clientMetrics);
        streams = kafkaStreams;
        kafkaStreams.start();
        if (LiveView.enabled(config)) { // [live view] /live on the same port; a plain consumer beside the topology
            live = LiveView.start(config, http, registry);
        }
        startupPhase = "started";
        LOG.info("SkelStream processing {} -> {}, {} (application id {}, {}); metrics at {}", config.posesTopic(),
                config.actionsTopic(), config.alertsTopic(), properties.getProperty("application.id"),
                properties.getProperty("processing.guarantee"), http.url(OperationsHttpServer.METRICS_PATH));
    }

    static EncoderOptions encoderOptions(SkelStreamConfig config) {
        EncoderOptions.Builder options = EncoderOptions.builder()
                .provider(ExecutionProvider.parse(config.modelProvider()))
                .cudaDevice(config.modelCudaDevice())
                .topK(config.topK());
        if (config.modelIntraOpThreads() > 0) {
            options.intraOpThreads(config.modelIntraOpThreads());
        }
        return options.build();
    }

    /** What {@code /readyz} answers. */
    public Readiness readiness() {
        KafkaStreams current = streams;
        ActionEncoder model = encoder;
        if (closed.get()) {
            return Readiness.notReady("SHUTTING_DOWN", "shutting down");
        }
        if (current == null) {
            return Readiness.notReady("NOT_STARTED", startupPhase);
        }
        KafkaStreams.State state = current.state();
        if (model == null) {
            return Readiness.notReady(state.name(), "model not loaded");
        }
        if (state != KafkaStreams.State.RUNNING) {
            return Readiness.notReady(state.name(), switch (state) {
                case CREATED, REBALANCING -> "Kafka Streams is " + state + " (joining the group, restoring state)";
                case ERROR, PENDING_ERROR -> "Kafka Streams failed; see the log";
                default -> "Kafka Streams is " + state;
            });
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("model", model.description().name());
        details.put("model_sha256", model.description().sha256());
        details.put("provider", model.provider().name());
        return Readiness.ready(state.name(), details);
    }

    /** The port serving /metrics, /healthz and /readyz. */
    public OperationsHttpServer http() {
        return http;
    }

    /** The live view (/live), or null when disabled or not started yet. [live view] */
    public LiveView live() {
        return live;
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** The Kafka Streams client, once started (null before). */
    public KafkaStreams kafkaStreams() {
        return streams;
    }

    /** The loaded model, once loaded (null before). */
    public ActionEncoder encoder() {
        return encoder;
    }

    /**
     * Blocks until Kafka Streams stops on its own (ERROR after a fatal failure) or {@link #close()} is called.
     *
     * @return true when it stopped in the ERROR state
     */
    public boolean awaitStop() throws InterruptedException {
        stopped.await();
        KafkaStreams current = streams;
        return current != null && current.state() == KafkaStreams.State.ERROR;
    }

    /** Waits up to a timeout for the RUNNING state and the model; true when ready. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (readiness().ready()) {
                return true;
            }
            if (stopped.await(50, TimeUnit.MILLISECONDS)) {
                return false;
            }
        }
        return readiness().ready();
    }

    /** Stops Kafka Streams (bounded), then the encoder, then the HTTP port; idempotent and thread-safe. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Duration timeout = config.shutdownTimeout();
        KafkaStreams current = streams;
        if (current != null) {
            LOG.info("Stopping Kafka Streams (up to {} s)", timeout.toSeconds());
            boolean clean = current.close(CloseOptions.timeout(timeout));
            if (!clean) {
                LOG.warn("Kafka Streams did not stop within {} s; uncommitted work is redone on the next start",
                        timeout.toSeconds());
            }
        }
        LiveView liveView = live; // [live view] before the HTTP port, after the processor
        if (liveView != null) {
            liveView.close();
        }
        if (clientMetrics != null) {
            registry.unregister(clientMetrics);
        }
        ActionEncoder model = encoder;
        if (model != null) {
            model.close();
        }
        OperationsHttpServer server = http;
        if (server != null) {
            server.close();
        }
        stopped.countDown();
        LOG.info("SkelStream stopped");
    }
}
