package io.skelstream.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SoftmaxTest {

    @Test
    void shouldNotOverflowOnLargeLogits() {
        float[] probabilities = Softmax.probabilities(new float[] {1000f, 1001f, 999f});

        double e = Math.E;
        double sum = 1 + e + 1 / e;
        assertArrayEquals(new float[] {(float) (1 / sum), (float) (e / sum), (float) (1 / e / sum)}, probabilities,
                1e-7f);
    }

    @Test
    void shouldSumToOne() {
        float[] probabilities = Softmax.probabilities(new float[] {-3.5f, 0.25f, 7f, 7f, -80f});

        double sum = 0;
        for (float p : probabilities) {
            sum += p;
        }
        assertEquals(1.0, sum, 1e-6);
    }

    @Test
    void shouldRankMostProbableFirstWithTiesToTheLowerIndex() {
        float[] probabilities = {0.1f, 0.3f, 0.05f, 0.3f, 0.25f};

        assertArrayEquals(new int[] {1, 3, 4}, Softmax.topK(probabilities, 3));
        assertArrayEquals(new int[] {1, 3, 4, 0, 2}, Softmax.topK(probabilities, 10));
    }
}
