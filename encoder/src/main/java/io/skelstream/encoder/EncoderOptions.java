package io.skelstream.encoder;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to run the model.
 *
 * @param provider       where to run: {@link ExecutionProvider#AUTO} (default), {@code CUDA} or {@code CPU}
 * @param cudaDevice     CUDA device ordinal used by {@code AUTO} and {@code CUDA} (default 0)
 * @param intraOpThreads threads ONNX Runtime uses inside one run, shared by all concurrent runs of the one session;
 *                       default {@link #DEFAULT_INTRA_OP_THREADS}: every core the JVM sees, which gives the lowest
 *                       latency per batch; give fewer when Kafka Streams threads need cores of their own
 * @param topK           how many best labels each {@link WindowResult} lists (default 5, capped at the label count)
 * @param allowSpinning  whether ONNX Runtime's idle intra-op threads busy-wait for the next op instead of sleeping
 *                       (default {@link #DEFAULT_ALLOW_SPINNING}). Spinning saves a thread wake-up per op, which
 *                       matters at batch 1, but burns the cores it waits on: with Kafka Streams threads, a broker or
 *                       other encoders on the same cores it slows everyone (several-fold once oversubscribed). Turn
 *                       it on only when the encoder has its cores to itself.
 * @param sessionConfig  further ONNX Runtime session configuration entries (keys of
 *                       {@code onnxruntime_session_options_config_keys.h}, e.g.
 *                       {@code session.intra_op_thread_affinities} or {@code session.dynamic_block_base}), applied
 *                       after the encoder's own settings, so an entry here wins; empty by default. ONNX Runtime
 *                       ignores keys it does not know and refuses values it cannot parse when the session is made.
 */
public record EncoderOptions(ExecutionProvider provider, int cudaDevice, int intraOpThreads, int topK,
                             boolean allowSpinning, Map<String, String> sessionConfig) {

    /** Every core the JVM sees. */
    public static final int DEFAULT_INTRA_OP_THREADS = Runtime.getRuntime().availableProcessors();
    public static final int DEFAULT_TOP_K = 5;
    /** Off: the encoder shares its cores with the stream threads that feed it (see allowSpinning). */
    public static final boolean DEFAULT_ALLOW_SPINNING = false;

    public EncoderOptions {
        Objects.requireNonNull(provider, "provider");
        if (cudaDevice < 0) {
            throw new IllegalArgumentException("cudaDevice must be >= 0, got " + cudaDevice);
        }
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intraOpThreads must be >= 1, got " + intraOpThreads);
        }
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be >= 1, got " + topK);
        }
        Objects.requireNonNull(sessionConfig, "sessionConfig");
        sessionConfig.forEach((key, value) -> {
            if (key == null || key.isBlank() || value == null) {
                throw new IllegalArgumentException("sessionConfig entries need a key and a value, got " + key
                        + "=" + value);
            }
        });
        sessionConfig = Map.copyOf(sessionConfig);
    }

    /** The options without the spinning choice and session entries, which then take their defaults. */
    public EncoderOptions(ExecutionProvider provider, int cudaDevice, int intraOpThreads, int topK) {
        this(provider, cudaDevice, intraOpThreads, topK, DEFAULT_ALLOW_SPINNING, Map.of());
    }

    /** AUTO provider, CUDA device 0, all cores, top 5, no spinning. */
    public static EncoderOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder().provider(provider).cudaDevice(cudaDevice).intraOpThreads(intraOpThreads).topK(topK)
                .allowSpinning(allowSpinning).sessionConfig(sessionConfig);
    }

    /** Builder with the defaults above. */
    public static final class Builder {
        private ExecutionProvider provider = ExecutionProvider.AUTO;
        private int cudaDevice = 0;
        private int intraOpThreads = DEFAULT_INTRA_OP_THREADS;
        private int topK = DEFAULT_TOP_K;
        private boolean allowSpinning = DEFAULT_ALLOW_SPINNING;
        private final Map<String, String> sessionConfig = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder provider(ExecutionProvider provider) {
            this.provider = provider;
            return this;
        }

        public Builder cudaDevice(int cudaDevice) {
            this.cudaDevice = cudaDevice;
            return this;
        }

        public Builder intraOpThreads(int intraOpThreads) {
            this.intraOpThreads = intraOpThreads;
            return this;
        }

        public Builder topK(int topK) {
            this.topK = topK;
            return this;
        }

        public Builder allowSpinning(boolean allowSpinning) {
            this.allowSpinning = allowSpinning;
            return this;
        }

        /** One more ONNX Runtime session configuration entry (replaces an earlier one with the same key). */
        public Builder sessionConfigEntry(String key, String value) {
            sessionConfig.put(key, value);
            return this;
        }

        /** These entries instead of any given before. */
        public Builder sessionConfig(Map<String, String> entries) {
            sessionConfig.clear();
            sessionConfig.putAll(entries);
            return this;
        }

        public EncoderOptions build() {
            return new EncoderOptions(provider, cudaDevice, intraOpThreads, topK, allowSpinning, sessionConfig);
        }
    }
}
