package io.skelstream.encoder;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Random;

/**
 * The hand-computable test model {@code models/tiny-valid.onnx}, made by src/test/python/make_test_models.py. Its
 * weights are closed forms, repeated here so the tests compute the expected outputs independently of ONNX Runtime:
 * <pre>
 *   pooled    = mean over T of joints [T=4, M=2, V=3, 3], flattened to 18 values
 *   embedding = tanh(pooled @ W_e + b_e)       D = 5
 *   logits    = embedding @ W_l + b_l          K = 3
 * </pre>
 */
final class TinyModel {
    static final String VALID = "models/tiny-valid.onnx";
    static final int T = 4;
    static final int M = 2;
    static final int V = 3;
    static final int D = 5;
    static final int K = 3;
    static final int WINDOW_FLOATS = T * M * V * 3;
    static final int POOLED = M * V * 3;
    static final List<String> LABELS = List.of("idle", "wave", "fall");

    private TinyModel() {
    }

    static ModelSource valid() {
        return ModelSource.ofClasspath(VALID);
    }

    static EncoderOptions cpu() {
        return EncoderOptions.builder().provider(ExecutionProvider.CPU).intraOpThreads(1).build();
    }

    static float embeddingWeight(int i, int j) {
        return (float) (Math.floorMod(i * 7 + j * 3, 11) - 5) / 10.0f;
    }

    static float embeddingBias(int j) {
        return (float) ((j - 2) / 20.0);
    }

    static float logitWeight(int j, int k) {
        return (float) ((Math.floorMod(j * 5 + k * 2, 7) - 3) / 5.0);
    }

    static float logitBias(int k) {
        return (float) (k / 10.0 - 0.1);
    }

    /** Expected embedding [D] and logits [K] of one window, computed in double. */
    static double[][] expected(float[] window) {
        double[] pooled = new double[POOLED];
        for (int t = 0; t < T; t++) {
            for (int p = 0; p < POOLED; p++) {
                pooled[p] += window[t * POOLED + p] / (double) T;
            }
        }
        double[] embedding = new double[D];
        for (int j = 0; j < D; j++) {
            double sum = embeddingBias(j);
            for (int i = 0; i < POOLED; i++) {
                sum += pooled[i] * embeddingWeight(i, j);
            }
            embedding[j] = Math.tanh(sum);
        }
        double[] logits = new double[K];
        for (int k = 0; k < K; k++) {
            double sum = logitBias(k);
            for (int j = 0; j < D; j++) {
                sum += embedding[j] * logitWeight(j, k);
            }
            logits[k] = sum;
        }
        return new double[][] {embedding, logits};
    }

    /** A window of plausible coordinates (metres, about ±1.5 m), reproducible from the seed. */
    static float[] randomWindow(Random random) {
        float[] window = new float[WINDOW_FLOATS];
        for (int i = 0; i < window.length; i++) {
            window[i] = (float) (random.nextGaussian() * 0.8);
        }
        return window;
    }

    static void fill(WindowBatch batch, List<float[]> windows) {
        for (float[] window : windows) {
            FloatBuffer slot = batch.window(batch.add());
            slot.put(window);
        }
    }
}
