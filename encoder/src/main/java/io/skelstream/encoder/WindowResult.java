package io.skelstream.encoder;

import java.util.List;

/**
 * The model's answer for one window: the best labels with their probabilities, the full probability vector, the raw
 * logits and the embedding. The arrays belong to this result alone (nothing else holds them); they are returned
 * without copying.
 */
public final class WindowResult {
    private final List<LabelScore> topK;
    private final int topLabelIndex;
    private final float[] logits;
    private final float[] probabilities;
    private final float[] embedding;

    WindowResult(List<LabelScore> topK, int topLabelIndex, float[] logits, float[] probabilities, float[] embedding) {
        this.topK = topK;
        this.topLabelIndex = topLabelIndex;
        this.logits = logits;
        this.probabilities = probabilities;
        this.embedding = embedding;
    }

    /** Index (0..K-1) of the most probable label; ties go to the lower index. */
    public int topLabelIndex() {
        return topLabelIndex;
    }

    /** The most probable label. */
    public String topLabel() {
        return topK.get(0).label();
    }

    /** Probability (0..1) of the most probable label. */
    public float topScore() {
        return topK.get(0).score();
    }

    /** The best min(topK, K) labels, most probable first (immutable). */
    public List<LabelScore> topK() {
        return topK;
    }

    /** Softmax of the logits, K values in label order, summing to 1. */
    public float[] probabilities() {
        return probabilities;
    }

    /** The model's raw logits, K values in label order. */
    public float[] logits() {
        return logits;
    }

    /** The embedding, D values. */
    public float[] embedding() {
        return embedding;
    }

    @Override
    public String toString() {
        return "WindowResult" + topK;
    }
}
