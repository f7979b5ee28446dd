package io.skelstream.encoder;

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
 */
public record EncoderOptions(ExecutionProvider provider, int cudaDevice, int intraOpThreads, int topK,
                             boolean allowSpinning) {

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
    }

    /** The options without the spinning choice, which then takes its default. */
    public EncoderOptions(ExecutionProvider provider, int cudaDevice, int intraOpThreads, int topK) {
        this(provider, cudaDevice, intraOpThreads, topK, DEFAULT_ALLOW_SPINNING);
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
                .allowSpinning(allowSpinning);
    }

    /** Builder with the defaults above. */
    public static final class Builder {
        private ExecutionProvider provider = ExecutionProvider.AUTO;
        private int cudaDevice = 0;
        private int intraOpThreads = DEFAULT_INTRA_OP_THREADS;
        private int topK = DEFAULT_TOP_K;
        private boolean allowSpinning = DEFAULT_ALLOW_SPINNING;

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

        public EncoderOptions build() {
            return new EncoderOptions(provider, cudaDevice, intraOpThreads, topK, allowSpinning);
        }
    }
}
