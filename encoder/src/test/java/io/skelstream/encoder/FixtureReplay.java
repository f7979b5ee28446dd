package io.skelstream.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/**
 * Replays a parity fixtures file (the trainer's format: {"model", "tolerance", "cases": [{"name", "shape", "joints",
 * "logits", "embedding"}]}, arrays as base64 little-endian float32) through the encoder and asserts every window's
 * logits and embedding within the file's tolerance. The model is resolved next to the fixtures file.
 */
final class FixtureReplay {

    private FixtureReplay() {
    }

    /** What a replay checked: windows, and the largest absolute differences seen. */
    record Summary(int windows, double maxLogitError, double maxEmbeddingError) {
    }

    static Summary assertMatches(Path fixturesFile) throws IOException {
        return assertMatches(fixturesFile, EncoderOptions.builder().provider(ExecutionProvider.CPU).build());
    }

    static Summary assertMatches(Path fixturesFile, EncoderOptions options) throws IOException {
        JsonNode fixtures = new ObjectMapper().readTree(fixturesFile.toFile());
        Path modelFile = fixturesFile.resolveSibling(fixtures.path("model").asText("skelstream-tiny.onnx"));
        if (!Files.isRegularFile(modelFile)) {
            fail("fixtures " + fixturesFile + " name model " + modelFile + ", which does not exist");
        }
        double tolerance = fixtures.path("tolerance").asDouble(1e-4);
        JsonNode cases = fixtures.path("cases");
        assertFalse(cases.isEmpty(), "fixtures " + fixturesFile + " hold no cases");

        int checked = 0;
        double maxLogitError = 0;
        double maxEmbeddingError = 0;
        try (ActionEncoder encoder = ActionEncoder.open(ModelSource.ofPath(modelFile), options)) {
            ModelDescription model = encoder.description();
            for (JsonNode fixture : cases) {
                String name = "case '" + fixture.path("name").asText("?") + "' of " + fixturesFile.getFileName();
                int[] shape = shape(fixture.path("shape"), name);
                assertEquals(List.of(model.frames(), model.persons(), model.joints(), 3),
                        List.of(shape[1], shape[2], shape[3], shape[4]), name + ": shape [B, T, M, V, 3]");
                int windows = shape[0];
                float[] joints = floats(fixture, "joints", name);
                float[] logits = floats(fixture, "logits", name);
                float[] embedding = floats(fixture, "embedding", name);
                assertEquals((long) windows * model.windowFloats(), joints.length, name + ": joints length");
                assertEquals((long) windows * model.labelCount(), logits.length, name + ": logits length");
                assertEquals((long) windows * model.embeddingDim(), embedding.length, name + ": embedding length");

                WindowBatch batch = encoder.newBatch(windows);
                for (int w = 0; w < windows; w++) {
                    FloatBuffer slot = batch.window(batch.add());
                    slot.put(joints, w * model.windowFloats(), model.windowFloats());
                }
                List<WindowResult> results = encoder.run(batch);

                for (int w = 0; w < windows; w++) {
                    maxLogitError = Math.max(maxLogitError, assertWithin(logits, w * model.labelCount(),
                            results.get(w).logits(), tolerance, name + " window " + w + " logits"));
                    maxEmbeddingError = Math.max(maxEmbeddingError, assertWithin(embedding,
                            w * model.embeddingDim(), results.get(w).embedding(), tolerance,
                            name + " window " + w + " embedding"));
                    checked++;
                }
            }
        }
        return new Summary(checked, maxLogitError, maxEmbeddingError);
    }

    /** @return the largest absolute difference */
    private static double assertWithin(float[] expected, int offset, float[] actual, double tolerance, String what) {
        double max = 0;
        for (int i = 0; i < actual.length; i++) {
            assertEquals(expected[offset + i], actual[i], tolerance, what + " [" + i + "]");
            max = Math.max(max, Math.abs(expected[offset + i] - actual[i]));
        }
        return max;
    }

    private static int[] shape(JsonNode node, String name) {
        if (!node.isArray() || node.size() != 5) {
            fail(name + ": shape " + node + " is not [B, T, M, V, 3]");
        }
        int[] shape = new int[5];
        for (int i = 0; i < 5; i++) {
            shape[i] = node.get(i).asInt();
        }
        return shape;
    }

    private static float[] floats(JsonNode fixture, String field, String name) {
        if (!fixture.path(field).isTextual()) {
            fail(name + " has no base64 field '" + field + "'");
        }
        byte[] bytes = Base64.getDecoder().decode(fixture.get(field).asText());
        if (bytes.length % Float.BYTES != 0) {
            fail(name + ": field '" + field + "' is " + bytes.length + " bytes, not whole float32 values");
        }
        float[] values = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }
}
