package io.skelstream.encoder;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.StampedLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exported SkelStream model (contract 1 of DESIGN.md) loaded into one ONNX Runtime session: windows of poses in,
 * per window the best labels, the probabilities and the embedding out.
 *
 * <pre>{@code
 * try (ActionEncoder encoder = ActionEncoder.open(ModelSource.ofPath(Path.of("models/bundled/skelstream-tiny.onnx")),
 *                                                 EncoderOptions.defaults())) {
 *     WindowBatch batch = encoder.newBatch(32);          // one per thread, reused
 *     int slot = batch.add();
 *     batch.window(slot).put(window);                    // T*M*V*3 floats, [T][M][V][3], metres
 *     for (WindowResult result : encoder.run(batch)) {
 *         System.out.println(result.topLabel() + " " + result.topScore());
 *     }
 *     batch.clear();
 * }
 * }</pre>
 *
 * <p>Thread-safe: every stream thread shares the one session and calls {@link #run(WindowBatch)} with its own
 * {@link WindowBatch}. {@link #close()} waits for runs in flight, then frees the session.
 */
public final class ActionEncoder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ActionEncoder.class);

    private final OrtEnvironment env;
    private final OrtSession session;
    private final ExecutionProvider provider;
    private final ModelDescription description;
    private final EncoderOptions options;
    /** Read-held by every run, write-held by close, so a session is never freed under a run. */
    private final StampedLock lifecycle = new StampedLock();
    private boolean closed;

    private ActionEncoder(OrtEnvironment env, OrtSession session, ExecutionProvider provider,
                          ModelDescription description, EncoderOptions options) {
        this.env = env;
        this.session = session;
        this.provider = provider;
        this.description = description;
        this.options = options;
    }

    /**
     * Loads the model, creates its session on the requested provider and checks it against contract 1.
     *
     * @throws ModelContractException     when the model breaks the contract or ONNX Runtime cannot load it
     * @throws ExecutionProviderException when {@link ExecutionProvider#CUDA} was requested and cannot be used
     * @throws EncoderException           when the model file or resource cannot be read
     */
    public static ActionEncoder open(ModelSource source, EncoderOptions options) throws ModelContractException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(options, "options");
        byte[] model = source.readBytes();
        String sha256 = sha256(model);
        // One environment per JVM: ONNX Runtime's own singleton, never closed by us.
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        ProviderSelection.Selected selected = ProviderSelection.open(env, model, source, options);
        ModelDescription description;
        try {
            description = ModelContract.describe(selected.session(), source, sha256);
        } catch (RuntimeException e) {
            closeQuietly(selected.session(), e);
            throw e;
        }
        LOG.info("Loaded model '{}' ({}) sha256 {}: layout {}, T={} M={} V={} at {} fps, K={} labels, D={}, on {} "
                        + "with {} intra-op threads, ONNX Runtime {}",
                description.name(), source, description.sha256(), description.layout(), description.frames(),
                description.persons(), description.joints(), description.fps(), description.labelCount(),
                description.embeddingDim(), selected.provider().configName(), options.intraOpThreads(),
                env.getVersion());
        return new ActionEncoder(env, selected.session(), selected.provider(), description, options);
    }

    /** What the model is: its metadata, shapes, labels and file hash. */
    public ModelDescription description() {
        return description;
    }

    /** The provider actually in use: {@link ExecutionProvider#CUDA} or {@link ExecutionProvider#CPU}, never AUTO. */
    public ExecutionProvider provider() {
        return provider;
    }

    /** The options this encoder was opened with. */
    public EncoderOptions options() {
        return options;
    }

    /**
     * Memory for up to {@code capacity} windows of this model. Make one per caller thread and reuse it.
     *
     * @throws IllegalArgumentException when capacity is below 1 or the buffer would exceed 2 GiB
     */
    public WindowBatch newBatch(int capacity) {
        return new WindowBatch(capacity, description);
    }

    /**
     * Runs the model on the first {@link WindowBatch#size()} windows of {@code batch}. Thread-safe; the batch itself
     * must not be touched by another thread during the call. The batch's windows are left as they were.
     *
     * @return one result per window, in slot order; empty for an empty batch
     * @throws IllegalArgumentException when the batch was made for a model of another shape
     * @throws EncoderException         when the encoder is closed or ONNX Runtime fails
     */
    public List<WindowResult> run(WindowBatch batch) throws EncoderException {
        Objects.requireNonNull(batch, "batch");
        if (batch.windowFloats() != description.windowFloats() || batch.labelCount() != description.labelCount()
                || batch.embeddingDim() != description.embeddingDim()) {
            throw new IllegalArgumentException("window batch was made for a model of another shape than '"
                    + description.name() + "'");
        }
        int count = batch.size();
        if (count == 0) {
            return List.of();
        }
        long stamp = lifecycle.readLock();
        try {
            if (closed) {
                throw new EncoderException("encoder for model '" + description.name() + "' is closed");
            }
            infer(batch, count);
        } finally {
            lifecycle.unlockRead(stamp);
        }
        return results(batch, count);
    }

    /** ONNX Runtime reads the batch's joints buffer and writes into its logits and embeddings buffers in place. */
    private void infer(WindowBatch batch, int count) {
        long[] jointsShape = {count, description.frames(), description.persons(), description.joints(),
                ModelDescription.COORDINATES};
        try (OnnxTensor joints = OnnxTensor.createTensor(env, batch.jointsOfFirst(count), jointsShape);
             OnnxTensor logits = OnnxTensor.createTensor(env, batch.logitsOfFirst(count),
                     new long[] {count, description.labelCount()});
             OnnxTensor embeddings = OnnxTensor.createTensor(env, batch.embeddingsOfFirst(count),
                     new long[] {count, description.embeddingDim()});
             OrtSession.Result ignored = session.run(Map.of(ModelContract.INPUT, joints),
                     Map.of(ModelContract.LOGITS, logits, ModelContract.EMBEDDING, embeddings))) {
            // The outputs are already in the batch's buffers; the result only owns nothing and is closed here.
        } catch (OrtException e) {
            throw new EncoderException("model '" + description.name() + "' failed on a batch of " + count
                    + " windows on " + provider.configName() + ": " + e.getMessage(), e);
        }
    }

    private List<WindowResult> results(WindowBatch batch, int count) {
        FloatBuffer logits = batch.logitsOfFirst(count);
        FloatBuffer embeddings = batch.embeddingsOfFirst(count);
        int labelCount = description.labelCount();
        int embeddingDim = description.embeddingDim();
        List<String> labels = description.labels();
        List<WindowResult> results = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            float[] windowLogits = new float[labelCount];
            logits.get(i * labelCount, windowLogits);
            float[] embedding = new float[embeddingDim];
            embeddings.get(i * embeddingDim, embedding);
            float[] probabilities = Softmax.probabilities(windowLogits);
            int[] top = Softmax.topK(probabilities, options.topK());
            LabelScore[] topK = new LabelScore[top.length];
            for (int rank = 0; rank < top.length; rank++) {
                topK[rank] = new LabelScore(labels.get(top[rank]), probabilities[top[rank]]);
            }
            results.add(new WindowResult(List.of(topK), top[0], windowLogits, probabilities, embedding));
        }
        return results;
    }

    /** Frees the session, after any runs in flight have finished. Idempotent. */
    @Override
    public void close() {
        long stamp = lifecycle.writeLock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            session.close();
        } catch (OrtException e) {
            throw new EncoderException("closing the session of model '" + description.name() + "' failed: "
                    + e.getMessage(), e);
        } finally {
            lifecycle.unlockWrite(stamp);
        }
    }

    @Override
    public String toString() {
        return "ActionEncoder[" + description.name() + " on " + provider.configName() + "]";
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static void closeQuietly(OrtSession session, Exception primary) {
        try {
            session.close();
        } catch (OrtException e) {
            primary.addSuppressed(e);
        }
    }
}
