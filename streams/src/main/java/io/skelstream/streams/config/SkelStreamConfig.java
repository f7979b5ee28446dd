package io.skelstream.streams.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every setting of the SkelStream processor, immutable once loaded.
 *
 * <p>Sources, later ones winning: a Java properties file, environment variables ({@code SKELSTREAM_FOO_BAR} sets
 * {@code foo.bar}; a double underscore stands for a literal {@code _}), then explicit overrides (command-line flags).
 * Keys under {@code kafka.} and {@code streams.} are handed to Kafka Streams unchanged minus the prefix, so SASL, SSL and
 * any client or Streams setting works without code changes ({@code kafka.security.protocol=SASL_SSL},
 * {@code streams.num.stream.threads=4}, {@code kafka.producer.linger.ms=5}).
 *
 * <p>Typed getters apply the named defaults below and fail with a {@link ConfigException} naming the key, the bad value
 * and where it came from.
 */
public final class SkelStreamConfig {

    public static final String ENV_PREFIX = "SKELSTREAM_";
    public static final String KAFKA_PREFIX = "kafka.";
    public static final String STREAMS_PREFIX = "streams.";

    // ---- topics
    public static final String TOPIC_POSES = "topic.poses";
    public static final String TOPIC_ACTIONS = "topic.actions";
    public static final String TOPIC_ALERTS = "topic.alerts";
    public static final String TOPIC_DEAD_LETTERS = "topic.dead.letters";
    public static final String DEFAULT_TOPIC_POSES = "skel.poses";
    public static final String DEFAULT_TOPIC_ACTIONS = "skel.actions";
    public static final String DEFAULT_TOPIC_ALERTS = "skel.alerts";
    public static final String DEFAULT_TOPIC_DEAD_LETTERS = "skel.poses.dlq";

    // ---- Kafka Streams defaults (each overridable through kafka.* / streams.*)
    public static final String DEFAULT_APPLICATION_ID = "skelstream";
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";
    public static final String DEFAULT_PROCESSING_GUARANTEE = "exactly_once_v2";

    // ---- windows and tracks
    /** Hop between consecutive windows of one track, in model frames (used unless window.hop.ms is set). */
    public static final String WINDOW_HOP_FRAMES = "window.hop.frames";
    public static final int DEFAULT_WINDOW_HOP_FRAMES = 8;
    /** Hop in milliseconds of capture time; when set, wins over window.hop.frames. */
    public static final String WINDOW_HOP_MS = "window.hop.ms";
    /**
     * How far behind a track's newest frame a frame may arrive and still be put in order. Every window waits this long
     * for stragglers, so it adds to every event's latency. 0 by default: a device's frames share its key, so Kafka
     * keeps them in order from an idempotent producer (the client default) to us; raise it (one or two frame intervals)
     * for devices whose own pipeline publishes out of order (they show as LATE_FRAME dead letters).
     */
    public static final String REORDER_TOLERANCE_MS = "window.reorder.tolerance.ms";
    public static final long DEFAULT_REORDER_TOLERANCE_MS = 0;
    /**
     * How far before its nominal end a window may end on a frame. Window ends follow a grid (one hop apart), but a
     * device's capture times do not: with millisecond timestamps and clock jitter the frame nearest a nominal end is
     * as often just before it as at or after it, and a window ending exactly there would wait one more frame interval
     * for the frame that brackets its last sample. Instead the window ends on the newest frame within this distance
     * before its nominal end (never the first window of a segment, whose first sample must not precede the segment).
     * Default: half of the model's frame interval (33 ms at 15 fps), a shift the model cannot see; 0 keeps the grid.
     * At most half a hop, so windows stay apart.
     */
    public static final String WINDOW_END_SNAP_MS = "window.end.snap.ms";
    /** Gaps up to this long are interpolated; longer gaps restart the track's window. */
    public static final String MAX_GAP_MS = "window.max.gap.ms";
    public static final long DEFAULT_MAX_GAP_MS = 500;
    /** A track without frames for this long (wall clock) is expired and its state freed. */
    public static final String TRACK_INACTIVITY_MS = "track.inactivity.timeout.ms";
    public static final long DEFAULT_TRACK_INACTIVITY_MS = 10_000;
    /** Tracks kept per device: a new track beyond it frees the least recently seen one; a frame with more bodies is a dead letter (TOO_MANY_BODIES). */
    public static final String MAX_TRACKS_PER_DEVICE = "track.max.per.device";
    public static final int DEFAULT_MAX_TRACKS_PER_DEVICE = 16;

    // ---- validation
    /** Frames whose capture time is further than this ahead of the wall clock are dead letters. */
    public static final String MAX_FUTURE_MS = "frame.max.future.ms";
    public static final long DEFAULT_MAX_FUTURE_MS = 300_000;
    /** Any coordinate with an absolute value above this many metres is absurd. */
    public static final String MAX_ABS_COORDINATE_M = "frame.max.abs.coordinate.m";
    public static final double DEFAULT_MAX_ABS_COORDINATE_M = 100.0;
    public static final String MAX_DEVICE_ID_LENGTH = "frame.max.device.id.length";
    public static final int DEFAULT_MAX_DEVICE_ID_LENGTH = 256;

    // ---- batching and inference
    public static final String BATCH_MAX_SIZE = "batch.max.size";
    public static final int DEFAULT_BATCH_MAX_SIZE = 64;
    /** Longest a due window waits for others to fill a batch before it is inferred. */
    public static final String BATCH_MAX_WAIT_MS = "batch.max.wait.ms";
    public static final long DEFAULT_BATCH_MAX_WAIT_MS = 10;
    /**
     * Run the encoder on a thread of its own, so stream threads keep polling, processing frames and committing while
     * a batch is inferred ({@code true}, default); or let the stream thread run each batch itself, as in a synchronous
     * call ({@code false}). On the 2-core benchmark machine, with the CPU encoder on every core, the thread of its own
     * won at half load (p99 to a read_committed consumer 160 vs 360 ms, and 143-145 vs 166-205 ms side by side) and
     * at saturation (0.88 vs 0.83 of the encoder alone): frames do not queue behind encoder runs.
     */
    public static final String BATCH_INFERENCE_THREAD = "batch.inference.thread";
    public static final boolean DEFAULT_BATCH_INFERENCE_THREAD = true;
    /**
     * Over capacity, shed instead of falling behind: a due window whose end (capture time) is more than this many ms
     * behind the wall clock when its batch is built is not inferred and gives no event, counted in
     * {@code skelstream_windows_shed_total}; later windows of its track go on as usual. 0 (default): never shed, every
     * window gets its event however late (the exactly-once promise), and overload shows as consumer lag. Turn it on
     * for live alerting where a stale event is worthless, with device clocks kept in sync (NTP).
     */
    public static final String BATCH_SHED_AGE_MS = "batch.shed.age.ms";
    public static final long DEFAULT_BATCH_SHED_AGE_MS = 0;
    /** How long an idle encoder waits for more windows before a run that is not full (0: adaptive batching only). */
    public static final String BATCH_MERGE_WAIT_MS = "batch.merge.wait.ms";
    public static final long DEFAULT_BATCH_MERGE_WAIT_MS = 0;
    /** Model file; unset means the bundled model on the classpath. */
    public static final String MODEL_PATH = "model.path";
    public static final String MODEL_PROVIDER = "model.provider";
    public static final String DEFAULT_MODEL_PROVIDER = "AUTO";
    public static final String MODEL_CUDA_DEVICE = "model.cuda.device";
    public static final int DEFAULT_MODEL_CUDA_DEVICE = 0;
    /** ONNX Runtime intra-op threads; 0 lets ONNX Runtime decide. */
    public static final String MODEL_INTRA_OP_THREADS = "model.intra.op.threads";
    public static final int DEFAULT_MODEL_INTRA_OP_THREADS = 0;

    // ---- events
    public static final String SMOOTHING_WINDOWS = "events.smoothing.windows";
    public static final int DEFAULT_SMOOTHING_WINDOWS = 3;
    /** Below this smoothed probability a track is "no action" and no event goes out. */
    public static final String MIN_CONFIDENCE = "events.min.confidence";
    public static final double DEFAULT_MIN_CONFIDENCE = 0.5;
    public static final String EMIT_MODE = "events.emit.mode";
    public static final EmitMode DEFAULT_EMIT_MODE = EmitMode.EVERY_HOP;
    public static final String TOP_K = "events.top.k";
    public static final int DEFAULT_TOP_K = 3;
    /**
     * Request an exactly-once commit as soon as a flush has forwarded events, so they are visible to read_committed
     * consumers within one loop iteration instead of up to {@code commit.interval.ms} later. With it the commit
     * interval can stay long (cheap ingest) without delaying events.
     */
    public static final String COMMIT_ON_EMIT = "events.commit.on.emit";
    public static final boolean DEFAULT_COMMIT_ON_EMIT = true;

    // ---- Kafka Streams defaults of ours (a kafka.* or streams.* key of the same name wins)
    /**
     * Long, because events do not wait for it ({@value #COMMIT_ON_EMIT}): each exactly-once commit costs broker round
     * trips and ends the producer's batches, so frames-only traffic commits once a second (100 ms, the Streams default
     * under exactly-once, halved the frames/s one instance ingests).
     */
    public static final long DEFAULT_COMMIT_INTERVAL_MS = 1_000;
    /** Changelog and output producer: fuller batches between commits (a commit flushes them anyway). */
    public static final int DEFAULT_PRODUCER_LINGER_MS = 20;
    public static final int DEFAULT_PRODUCER_BATCH_BYTES = 256 * 1024;
    /** Frames handed to the topology per poll: fewer, larger loop iterations. */
    public static final int DEFAULT_MAX_POLL_RECORDS = 2_000;
    /**
     * Longest a stream thread blocks in poll when no frames are waiting (Streams: 100 ms). Results of the inference
     * thread are forwarded by the stream thread's next loop iteration, so this bounds how long a finished batch can
     * wait while frames are sparse.
     */
    public static final long DEFAULT_POLL_MS = 10;

    /**
     * Where the frame and pending-window stores live: {@code in-memory} (default: their entries live seconds and churn,
     * which RocksDB serves poorly) or {@code persistent} (RocksDB). Both are changelogged; the small long-lived stores
     * (track state, device sequences, smoothing, alerts) are always RocksDB.
     */
    public static final String WINDOW_STORES = "state.window.stores";
    public static final String DEFAULT_WINDOW_STORES = "in-memory";

    // ---- alerts, http
    /** JSON file of alert rules (see alerts/AlertRules); unset means no alerts. */
    public static final String ALERT_RULES_FILE = "alerts.rules.file";
    public static final String HTTP_PORT = "http.port";
    public static final int DEFAULT_HTTP_PORT = 8080;
    /** Bind address of the HTTP port. */
    public static final String HTTP_HOST = "http.host";
    public static final String DEFAULT_HTTP_HOST = "0.0.0.0";
    /** How long start-up waits for the broker to answer before it gives up with a clear error. */
    public static final String STARTUP_BROKER_TIMEOUT_MS = "startup.broker.timeout.ms";
    public static final long DEFAULT_STARTUP_BROKER_TIMEOUT_MS = 15_000;
    /** How long a shutdown waits for Kafka Streams to close (commit, leave the group) before it exits anyway. */
    public static final String SHUTDOWN_TIMEOUT_MS = "shutdown.timeout.ms";
    public static final long DEFAULT_SHUTDOWN_TIMEOUT_MS = 30_000;

    private final Map<String, String> values;
    private final Map<String, String> origins;

    private SkelStreamConfig(Map<String, String> values, Map<String, String> origins) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
        this.origins = Collections.unmodifiableMap(new TreeMap<>(origins));
    }

    /**
     * Loads settings from an optional properties file, then environment variables, then explicit overrides.
     *
     * @param file properties file, if any; a missing or unreadable file is an error
     * @param env environment, usually {@code System.getenv()}; only {@code SKELSTREAM_*} variables are read
     * @param overrides explicit settings (flags), by key
     */
    public static SkelStreamConfig load(Optional<Path> file, Map<String, String> env, Map<String, String> overrides) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> origins = new LinkedHashMap<>();
        if (file.isPresent()) {
            Path path = file.get();
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new ConfigException("cannot read config file " + path + ": " + e.getMessage(), e);
            }
            for (String key : properties.stringPropertyNames()) {
                values.put(key, properties.getProperty(key).trim());
                origins.put(key, "file " + path);
            }
        }
        env.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
                String key = keyOfEnvironmentVariable(name);
                values.put(key, value.trim());
                origins.put(key, "environment variable " + name);
            }
        });
        overrides.forEach((key, value) -> {
            values.put(key, value.trim());
            origins.put(key, "override");
        });
        SkelStreamConfig config = new SkelStreamConfig(values, origins);
        config.validate();
        return config;
    }

    /** Settings from a map alone (tests, embedding). */
    public static SkelStreamConfig of(Map<String, String> settings) {
        return load(Optional.empty(), Map.of(), settings);
    }

    /** A copy with some settings replaced. */
    public SkelStreamConfig with(Map<String, String> overrides) {
        Map<String, String> merged = new LinkedHashMap<>(values);
        Map<String, String> mergedOrigins = new LinkedHashMap<>(origins);
        overrides.forEach((key, value) -> {
            merged.put(key, value.trim());
            mergedOrigins.put(key, "override");
        });
        SkelStreamConfig config = new SkelStreamConfig(merged, mergedOrigins);
        config.validate();
        return config;
    }

    /** {@code SKELSTREAM_KAFKA_SASL_JAAS_CONFIG} -> {@code kafka.sasl.jaas.config}; {@code __} -> {@code _}. */
    static String keyOfEnvironmentVariable(String name) {
        String rest = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT);
        return rest.replace("__", "\u0000").replace('_', '.').replace('\u0000', '_');
    }

    /** Reads every typed setting once so a bad value fails at start-up, not at the first frame. */
    private void validate() {
        posesTopic();
        actionsTopic();
        alertsTopic();
        deadLetterTopic();
        windowHopFrames();
        windowHopMs();
        windowEndSnapMs();
        reorderToleranceMs();
        maxGapMs();
        trackInactivityMs();
        maxTracksPerDevice();
        maxFutureMs();
        maxAbsCoordinateMetres();
        maxDeviceIdLength();
        batchMaxSize();
        batchMaxWaitMs();
        batchMergeWaitMs();
        modelProvider();
        modelCudaDevice();
        modelIntraOpThreads();
        smoothingWindows();
        minConfidence();
        emitMode();
        topK();
        httpPort();
        httpHost();
        startupBrokerTimeout();
        shutdownTimeout();
        persistentWindowStores();
        commitOnEmit();
        batchInferenceThread();
        batchShedAgeMs();
    }

    // ---------------------------------------------------------------- Kafka Streams pass-through

    /**
     * Properties for {@code new KafkaStreams(topology, properties)}: our defaults (application id, bootstrap servers,
     * exactly-once v2) overridden by every {@code kafka.*} and then {@code streams.*} key, minus its prefix.
     */
    public Properties kafkaStreamsProperties() {
        Properties properties = new Properties();
        properties.put("application.id", DEFAULT_APPLICATION_ID);
        properties.put("bootstrap.servers", DEFAULT_BOOTSTRAP_SERVERS);
        properties.put("processing.guarantee", DEFAULT_PROCESSING_GUARANTEE);
        properties.put("commit.interval.ms", String.valueOf(DEFAULT_COMMIT_INTERVAL_MS));
        properties.put("poll.ms", String.valueOf(DEFAULT_POLL_MS));
        Map<String, String> given = new TreeMap<>(withPrefixStripped(KAFKA_PREFIX));
        given.putAll(withPrefixStripped(STREAMS_PREFIX));
        putClientDefault(properties, given, "producer.", "linger.ms", DEFAULT_PRODUCER_LINGER_MS);
        putClientDefault(properties, given, "producer.", "batch.size", DEFAULT_PRODUCER_BATCH_BYTES);
        putClientDefault(properties, given, "consumer.", "max.poll.records", DEFAULT_MAX_POLL_RECORDS);
        properties.putAll(given);
        return properties;
    }

    /**
     * Sets {@code prefix + key} unless the operator gave the key in any form (plain, or with a client prefix Kafka
     * Streams knows): a prefixed key of ours would otherwise beat their plain one.
     */
    private static void putClientDefault(Properties properties, Map<String, String> given, String prefix, String key,
                                         int value) {
        for (String givenKey : given.keySet()) {
            if (givenKey.equals(key) || givenKey.endsWith("." + key)) {
                return;
            }
        }
        properties.put(prefix + key, String.valueOf(value));
    }

    /** Plain Kafka client properties (producers, admin clients of the CLI tools): the {@code kafka.*} keys only. */
    public Map<String, String> kafkaClientProperties() {
        Map<String, String> client = new LinkedHashMap<>();
        client.put("bootstrap.servers", DEFAULT_BOOTSTRAP_SERVERS);
        client.putAll(withPrefixStripped(KAFKA_PREFIX));
        return client;
    }

    private Map<String, String> withPrefixStripped(String prefix) {
        Map<String, String> stripped = new TreeMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith(prefix) && key.length() > prefix.length()) {
                stripped.put(key.substring(prefix.length()), value);
            }
        });
        return stripped;
    }

    // ---------------------------------------------------------------- typed getters

    public String posesTopic() {
        return topic(TOPIC_POSES, DEFAULT_TOPIC_POSES);
    }

    public String actionsTopic() {
        return topic(TOPIC_ACTIONS, DEFAULT_TOPIC_ACTIONS);
    }

    public String alertsTopic() {
        return topic(TOPIC_ALERTS, DEFAULT_TOPIC_ALERTS);
    }

    public String deadLetterTopic() {
        return topic(TOPIC_DEAD_LETTERS, DEFAULT_TOPIC_DEAD_LETTERS);
    }

    public String applicationId() {
        return kafkaStreamsProperties().getProperty("application.id");
    }

    public int windowHopFrames() {
        return intValue(WINDOW_HOP_FRAMES, DEFAULT_WINDOW_HOP_FRAMES, 1, 100_000);
    }

    /** The hop in milliseconds if {@value #WINDOW_HOP_MS} is set, else empty (then the hop is in model frames). */
    public OptionalLong windowHopMs() {
        String raw = values.get(WINDOW_HOP_MS);
        if (raw == null || raw.isEmpty()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(longValue(WINDOW_HOP_MS, 0, 1, Duration.ofHours(1).toMillis()));
    }

    /** {@value #WINDOW_END_SNAP_MS} if set, else empty (then half of the model's frame interval). */
    public OptionalLong windowEndSnapMs() {
        String raw = values.get(WINDOW_END_SNAP_MS);
        if (raw == null || raw.isEmpty()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(longValue(WINDOW_END_SNAP_MS, 0, 0, Duration.ofMinutes(1).toMillis()));
    }

    public long reorderToleranceMs() {
        return longValue(REORDER_TOLERANCE_MS, DEFAULT_REORDER_TOLERANCE_MS, 0, 60_000);
    }

    public long maxGapMs() {
        return longValue(MAX_GAP_MS, DEFAULT_MAX_GAP_MS, 0, 600_000);
    }

    public long trackInactivityMs() {
        return longValue(TRACK_INACTIVITY_MS, DEFAULT_TRACK_INACTIVITY_MS, 1, Duration.ofDays(1).toMillis());
    }

    public int maxTracksPerDevice() {
        return intValue(MAX_TRACKS_PER_DEVICE, DEFAULT_MAX_TRACKS_PER_DEVICE, 1, 10_000);
    }

    public long maxFutureMs() {
        return longValue(MAX_FUTURE_MS, DEFAULT_MAX_FUTURE_MS, 0, Duration.ofDays(365).toMillis());
    }

    public double maxAbsCoordinateMetres() {
        return doubleValue(MAX_ABS_COORDINATE_M, DEFAULT_MAX_ABS_COORDINATE_M, 0.001, 1e6);
    }

    public int maxDeviceIdLength() {
        return intValue(MAX_DEVICE_ID_LENGTH, DEFAULT_MAX_DEVICE_ID_LENGTH, 1, 65_535);
    }

    public int batchMaxSize() {
        return intValue(BATCH_MAX_SIZE, DEFAULT_BATCH_MAX_SIZE, 1, 4096);
    }

    public long batchMaxWaitMs() {
        return longValue(BATCH_MAX_WAIT_MS, DEFAULT_BATCH_MAX_WAIT_MS, 0, 10_000);
    }

    public long batchMergeWaitMs() {
        return longValue(BATCH_MERGE_WAIT_MS, DEFAULT_BATCH_MERGE_WAIT_MS, 0, 10_000);
    }

    public Optional<Path> modelPath() {
        return optionalString(MODEL_PATH).map(Path::of);
    }

    /** {@code AUTO}, {@code CUDA} or {@code CPU}. */
    public String modelProvider() {
        String value = values.getOrDefault(MODEL_PROVIDER, DEFAULT_MODEL_PROVIDER).toUpperCase(Locale.ROOT);
        if (!Set.of("AUTO", "CUDA", "CPU").contains(value)) {
            throw invalid(MODEL_PROVIDER, "expected AUTO, CUDA or CPU");
        }
        return value;
    }

    public int modelCudaDevice() {
        return intValue(MODEL_CUDA_DEVICE, DEFAULT_MODEL_CUDA_DEVICE, 0, 64);
    }

    public int modelIntraOpThreads() {
        return intValue(MODEL_INTRA_OP_THREADS, DEFAULT_MODEL_INTRA_OP_THREADS, 0, 1024);
    }

    public int smoothingWindows() {
        return intValue(SMOOTHING_WINDOWS, DEFAULT_SMOOTHING_WINDOWS, 1, 100);
    }

    public double minConfidence() {
        return doubleValue(MIN_CONFIDENCE, DEFAULT_MIN_CONFIDENCE, 0.0, 1.0);
    }

    public EmitMode emitMode() {
        String raw = values.get(EMIT_MODE);
        if (raw == null || raw.isEmpty()) {
            return DEFAULT_EMIT_MODE;
        }
        try {
            return EmitMode.parse(raw);
        } catch (IllegalArgumentException e) {
            throw invalid(EMIT_MODE, e.getMessage());
        }
    }

    public int topK() {
        return intValue(TOP_K, DEFAULT_TOP_K, 1, 1000);
    }

    public Optional<Path> alertRulesFile() {
        return optionalString(ALERT_RULES_FILE).map(Path::of);
    }

    public int httpPort() {
        return intValue(HTTP_PORT, DEFAULT_HTTP_PORT, 0, 65_535);
    }

    public String httpHost() {
        return optionalString(HTTP_HOST).filter(host -> !host.isBlank()).orElse(DEFAULT_HTTP_HOST);
    }

    public Duration startupBrokerTimeout() {
        return Duration.ofMillis(longValue(STARTUP_BROKER_TIMEOUT_MS, DEFAULT_STARTUP_BROKER_TIMEOUT_MS, 1,
                Duration.ofHours(1).toMillis()));
    }

    public Duration shutdownTimeout() {
        return Duration.ofMillis(longValue(SHUTDOWN_TIMEOUT_MS, DEFAULT_SHUTDOWN_TIMEOUT_MS, 0,
                Duration.ofHours(1).toMillis()));
    }

    public long batchShedAgeMs() {
        return longValue(BATCH_SHED_AGE_MS, DEFAULT_BATCH_SHED_AGE_MS, 0, Duration.ofDays(1).toMillis());
    }

    /** {@value #BATCH_INFERENCE_THREAD}: whether the encoder runs on a thread of its own. */
    public boolean batchInferenceThread() {
        return booleanValue(BATCH_INFERENCE_THREAD, DEFAULT_BATCH_INFERENCE_THREAD);
    }

    public boolean commitOnEmit() {
        return booleanValue(COMMIT_ON_EMIT, DEFAULT_COMMIT_ON_EMIT);
    }

    /** True when {@value #WINDOW_STORES} is {@code persistent}. */
    public boolean persistentWindowStores() {
        String value = values.getOrDefault(WINDOW_STORES, DEFAULT_WINDOW_STORES).toLowerCase(Locale.ROOT);
        if (!value.equals("persistent") && !value.equals("in-memory")) {
            throw invalid(WINDOW_STORES, "expected in-memory or persistent");
        }
        return value.equals("persistent");
    }

    // ---------------------------------------------------------------- raw access

    /** The raw value of any key, as loaded. */
    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** Where a key's value came from ("file x", "environment variable X", "override"), for messages. */
    public Optional<String> originOf(String key) {
        return Optional.ofNullable(origins.get(key));
    }

    /** All loaded settings, sorted by key. */
    public Map<String, String> asMap() {
        return values;
    }

    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        values.forEach((key, value) -> shown.put(key, looksSecret(key) ? "******" : value));
        return "SkelStreamConfig" + shown;
    }

    private static boolean looksSecret(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return lower.contains("password") || lower.contains("secret") || lower.contains("jaas")
                || lower.contains("token") || lower.contains("key.pem") || lower.contains("credentials");
    }

    // ---------------------------------------------------------------- parsing

    private String topic(String key, String defaultValue) {
        String value = values.getOrDefault(key, defaultValue);
        if (value.isEmpty() || value.length() > 249 || !value.matches("[a-zA-Z0-9._-]+")) {
            throw invalid(key, "a topic name is 1-249 characters of [a-zA-Z0-9._-]");
        }
        return value;
    }

    private Optional<String> optionalString(String key) {
        String value = values.get(key);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private int intValue(String key, int defaultValue, int min, int max) {
        return (int) longValue(key, defaultValue, min, max);
    }

    private long longValue(String key, long defaultValue, long min, long max) {
        String raw = values.get(key);
        if (raw == null || raw.isEmpty()) {
            return defaultValue;
        }
        long value;
        try {
            value = Long.parseLong(raw.replace("_", ""));
        } catch (NumberFormatException e) {
            throw invalid(key, "expected a whole number");
        }
        if (value < min || value > max) {
            throw invalid(key, "expected a value in [" + min + ", " + max + "]");
        }
        return value;
    }

    private double doubleValue(String key, double defaultValue, double min, double max) {
        String raw = values.get(key);
        if (raw == null || raw.isEmpty()) {
            return defaultValue;
        }
        double value;
        try {
            value = Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            throw invalid(key, "expected a number");
        }
        if (!(value >= min && value <= max)) {
            throw invalid(key, "expected a value in [" + min + ", " + max + "]");
        }
        return value;
    }

    private boolean booleanValue(String key, boolean defaultValue) {
        String raw = values.get(key);
        if (raw == null || raw.isEmpty()) {
            return defaultValue;
        }
        switch (raw.toLowerCase(Locale.ROOT)) {
            case "true":
            case "yes":
            case "1":
                return true;
            case "false":
            case "no":
            case "0":
                return false;
            default:
                throw invalid(key, "expected true or false");
        }
    }

    private ConfigException invalid(String key, String expectation) {
        return new ConfigException("bad setting " + key + "='" + values.get(key) + "' (from "
                + origins.getOrDefault(key, "default") + "): " + expectation);
    }
}
