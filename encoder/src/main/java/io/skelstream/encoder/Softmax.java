package io.skelstream.encoder;

/** The one place logits become probabilities and a ranking of labels. */
final class Softmax {

    private Softmax() {
    }

    /**
     * Numerically stable softmax: subtracts the largest logit before exponentiating and sums in double, so large
     * logits cannot overflow and the K probabilities sum to 1 within float rounding.
     */
    static float[] probabilities(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float logit : logits) {
            max = Math.max(max, logit);
        }
        double[] exps = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            exps[i] = Math.exp(logits[i] - max);
            sum += exps[i];
        }
        float[] probabilities = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            probabilities[i] = (float) (exps[i] / sum);
        }
        return probabilities;
    }

    /**
     * Indices of the {@code k} largest probabilities (fewer when K < k), largest first; ties go to the lower index.
     * K is small (tens of classes), so a partial selection is cheaper than sorting.
     */
    static int[] topK(float[] probabilities, int k) {
        int count = Math.min(k, probabilities.length);
        boolean[] taken = new boolean[probabilities.length];
        int[] top = new int[count];
        for (int rank = 0; rank < count; rank++) {
            int best = -1;
            for (int i = 0; i < probabilities.length; i++) {
                if (!taken[i] && (best < 0 || probabilities[i] > probabilities[best])) {
                    best = i;
                }
            }
            taken[best] = true;
            top[rank] = best;
        }
        return top;
    }
}
