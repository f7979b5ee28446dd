package io.skelstream.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ActionEncoderRunTest {
    /** float32 arithmetic in ONNX Runtime against double here: a few ulps of values around 1. */
    private static final double TOLERANCE = 1e-5;

    private static ActionEncoder encoder;

    @BeforeAll
    static void open() {
        encoder = ActionEncoder.open(TinyModel.valid(),
                TinyModel.cpu().toBuilder().topK(2).build());
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void shouldMatchTheHandComputationForEveryWindowOfABatch() {
        Random random = new Random(7);
        List<float[]> windows = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            windows.add(TinyModel.randomWindow(random));
        }
        WindowBatch batch = encoder.newBatch(8);
        TinyModel.fill(batch, windows);

        List<WindowResult> results = encoder.run(batch);

        assertEquals(windows.size(), results.size());
        for (int w = 0; w < windows.size(); w++) {
            double[][] expected = TinyModel.expected(windows.get(w));
            WindowResult result = results.get(w);
            assertClose(expected[0], result.embedding(), "embedding of window " + w);
            assertClose(expected[1], result.logits(), "logits of window " + w);
            assertClose(softmax(expected[1]), result.probabilities(), "probabilities of window " + w);

            int best = argMax(expected[1]);
            assertEquals(best, result.topLabelIndex());
            assertEquals(TinyModel.LABELS.get(best), result.topLabel());
            assertEquals(result.probabilities()[best], result.topScore());
            assertEquals(2, result.topK().size());
            assertTrue(result.topK().get(0).score() >= result.topK().get(1).score());
        }
    }

    @Test
    void shouldGiveTheSameResultForAWindowWhateverItsSlotAndBatchSize() {
        Random random = new Random(11);
        float[] window = TinyModel.randomWindow(random);
        WindowBatch single = encoder.newBatch(1);
        TinyModel.fill(single, List.of(window));
        WindowBatch many = encoder.newBatch(16);
        List<float[]> windows = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            windows.add(TinyModel.randomWindow(random));
        }
        windows.add(window);
        TinyModel.fill(many, windows);

        WindowResult alone = encoder.run(single).get(0);
        WindowResult last = encoder.run(many).get(15);

        assertClose(toDouble(alone.logits()), last.logits(), "logits");
        assertClose(toDouble(alone.embedding()), last.embedding(), "embedding");
    }

    @Test
    void shouldReuseABatchAfterClearWithZeroedSlots() {
        WindowBatch batch = encoder.newBatch(2);
        TinyModel.fill(batch, List.of(TinyModel.randomWindow(new Random(3))));
        encoder.run(batch);
        batch.clear();

        int slot = batch.add();
        List<WindowResult> results = encoder.run(batch);

        assertEquals(0, slot);
        assertEquals(0f, batch.window(slot).get(TinyModel.WINDOW_FLOATS - 1));
        assertClose(TinyModel.expected(new float[TinyModel.WINDOW_FLOATS])[1], results.get(0).logits(),
                "logits of the all-absent window");
    }

    @Test
    void shouldReturnNothingForAnEmptyBatch() {
        assertEquals(List.of(), encoder.run(encoder.newBatch(4)));
    }

    @Test
    void shouldRefuseABatchMadeForAnotherModelShape() throws Exception {
        try (ActionEncoder named = ActionEncoder.open(ModelSource.ofClasspath("models/tiny-named.onnx"),
                TinyModel.cpu())) {
            // Same shape: a batch from one encoder works on the other.
            WindowBatch batch = named.newBatch(1);
            batch.add();
            assertEquals(1, encoder.run(batch).size());
        }
        WindowBatch other = new WindowBatch(1, withFrames(encoder.description(), 8));
        other.add();
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> encoder.run(other));
        ModelDescriptionTest.assertContains(error.getMessage(), "another shape than 'tiny-valid'");
    }

    @Test
    void shouldRefuseToRunOnceClosed() {
        ActionEncoder closing = ActionEncoder.open(TinyModel.valid(), TinyModel.cpu());
        WindowBatch batch = closing.newBatch(1);
        batch.add();
        closing.close();
        closing.close();

        EncoderException error = assertThrows(EncoderException.class, () -> closing.run(batch));
        ModelDescriptionTest.assertContains(error.getMessage(), "is closed");
    }

    private static ModelDescription withFrames(ModelDescription model, int frames) {
        return new ModelDescription(model.name(), model.contract(), model.layout(), frames, model.persons(),
                model.joints(), model.fps(), model.labels(), model.embeddingDim(), model.objective(),
                model.dataset(), model.metricsJson(), model.created(), model.trainerVersion(), model.sha256(),
                model.metadata());
    }

    static void assertClose(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], TOLERANCE, what + " [" + i + "]");
        }
    }

    private static double[] softmax(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double logit : logits) {
            max = Math.max(max, logit);
        }
        double sum = 0;
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = Math.exp(logits[i] - max);
            sum += out[i];
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= sum;
        }
        return out;
    }

    private static int argMax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    private static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
