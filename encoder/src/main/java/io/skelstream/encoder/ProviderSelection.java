package io.skelstream.encoder;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the one ONNX Runtime session of an encoder on the requested execution provider.
 *
 * <p>Whether CUDA works is only known by trying: the GPU jar lists CUDA as available even on a machine without a GPU,
 * and the CPU jar has no CUDA at all. So CUDA is always attempted with a real session creation and the failure caught.
 */
final class ProviderSelection {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderSelection.class);

    /** A created session and the provider it runs on (never AUTO). */
    record Selected(OrtSession session, ExecutionProvider provider) {
    }

    private ProviderSelection() {
    }

    static Selected open(OrtEnvironment env, byte[] model, ModelSource source, EncoderOptions options) {
        switch (options.provider()) {
            case CPU:
                return new Selected(openOnCpu(env, model, source, options), ExecutionProvider.CPU);
            case CUDA:
                if (!cudaInThisBuild()) {
                    throw new ExecutionProviderException("execution provider cuda was requested for model " + source
                            + " but this ONNX Runtime build has no CUDA provider (the CPU onnxruntime jar): build "
                            + "with -Pgpu (CUDA 12 and cuDNN 9 on the host), or use provider auto or cpu", null);
                }
                try {
                    return new Selected(openOnCuda(env, model, options), ExecutionProvider.CUDA);
                } catch (OrtException | RuntimeException | LinkageError e) {
                    throw new ExecutionProviderException("execution provider cuda was requested for model " + source
                            + " but no session could be created on CUDA device " + options.cudaDevice() + ": "
                            + reason(e) + " (it needs an NVIDIA GPU with that ordinal, CUDA 12 and cuDNN 9 on the "
                            + "host; use provider auto or cpu to run on the CPU)", e);
                }
            case AUTO:
            default:
                if (!cudaInThisBuild()) {
                    LOG.info("Model {} runs on the CPU: this ONNX Runtime build has no CUDA provider (CPU jar; "
                            + "-Pgpu builds the GPU one)", source);
                    return new Selected(openOnCpu(env, model, source, options), ExecutionProvider.CPU);
                }
                try {
                    Selected selected = new Selected(openOnCuda(env, model, options), ExecutionProvider.CUDA);
                    LOG.info("Model {} runs on CUDA device {}", source, options.cudaDevice());
                    return selected;
                } catch (OrtException | RuntimeException | LinkageError e) {
                    LOG.warn("CUDA device {} unusable for model {} ({}); falling back to the CPU",
                            options.cudaDevice(), source, reason(e));
                    return new Selected(openOnCpu(env, model, source, options), ExecutionProvider.CPU);
                }
        }
    }

    /**
     * Whether this ONNX Runtime jar has a CUDA provider at all. The GPU jar says yes even on a machine without a GPU,
     * so a yes still has to be confirmed by creating the session.
     */
    private static boolean cudaInThisBuild() {
        return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
    }

    private static OrtSession openOnCuda(OrtEnvironment env, byte[] model, EncoderOptions options)
            throws OrtException {
        try (SessionOptions session = commonOptions(options);
             OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(options.cudaDevice())) {
            // Grow the device arena by what is asked, not by doubling: batch sizes vary from run to run.
            cuda.add("arena_extend_strategy", "kSameAsRequested");
            // Full float32 matmuls: TF32 would cost the 1e-4 parity with PyTorch that the fixtures check.
            cuda.add("use_tf32", "0");
            session.addCUDA(cuda);
            return env.createSession(model, session);
        }
    }

    private static OrtSession openOnCpu(OrtEnvironment env, byte[] model, ModelSource source, EncoderOptions options) {
        try (SessionOptions session = commonOptions(options)) {
            return env.createSession(model, session);
        } catch (OrtException e) {
            throw new ModelContractException("model " + source + " cannot be loaded by ONNX Runtime "
                    + env.getVersion() + ": " + e.getMessage(), e);
        }
    }

    private static SessionOptions commonOptions(EncoderOptions options) throws OrtException {
        SessionOptions session = new SessionOptions();
        try {
            session.setOptimizationLevel(SessionOptions.OptLevel.ALL_OPT);
            session.setExecutionMode(SessionOptions.ExecutionMode.SEQUENTIAL);
            // One graph is one chain of ops: parallelism comes from inside each op (intra-op), not between ops.
            session.setInterOpNumThreads(1);
            session.setIntraOpNumThreads(options.intraOpThreads());
            // Idle pool threads sleep by default: the encoder shares its cores with Kafka Streams threads, and
            // spinning workers starved the runs themselves once cores were oversubscribed (several-fold slower).
            session.addConfigEntry("session.intra_op.allow_spinning", options.allowSpinning() ? "1" : "0");
            // Memory patterns are planned per input shape; with a batch size that changes on every run they are
            // recomputed each time, so they cost more than they save. The arena still reuses freed blocks.
            session.setMemoryPatternOptimization(false);
            session.setCPUArenaAllocator(true);
            for (Map.Entry<String, String> entry : options.sessionConfig().entrySet()) {
                session.addConfigEntry(entry.getKey(), entry.getValue());
            }
            return session;
        } catch (OrtException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    private static String reason(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message.strip());
    }
}
