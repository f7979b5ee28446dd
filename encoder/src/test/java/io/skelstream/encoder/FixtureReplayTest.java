package io.skelstream.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/**
 * The parity check the bundled model goes through, proven on the tiny model whose fixtures numpy computed
 * (make_test_models.py): it passes on the true outputs and fails when one value is off by more than the tolerance.
 */
class FixtureReplayTest {
    private static final String FIXTURES = "models/tiny-valid.fixtures.json";

    @Test
    void shouldMatchNumpyOnEveryWindowOfTheTinyModel() throws Exception {
        Path fixtures = Path.of(ModelDescriptionTest.resourceUri(FIXTURES));

        FixtureReplay.Summary summary = FixtureReplay.assertMatches(fixtures);

        assertEquals(8, summary.windows());
        assertTrue(summary.maxLogitError() < 1e-5, "max logit error " + summary.maxLogitError());
    }

    @Test
    void shouldFailWhenALogitIsOffByMoreThanTheTolerance(@TempDir Path dir) throws Exception {
        Path original = Path.of(ModelDescriptionTest.resourceUri(FIXTURES));
        Files.copy(original.resolveSibling("tiny-valid.onnx"), dir.resolve("tiny-valid.onnx"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode fixtures = (ObjectNode) json.readTree(original.toFile());
        ObjectNode second = (ObjectNode) fixtures.withArray("cases").get(1);
        ByteBuffer logits = ByteBuffer.wrap(Base64.getDecoder().decode(second.get("logits").asText()))
                .order(ByteOrder.LITTLE_ENDIAN);
        logits.putFloat(4 * Float.BYTES, logits.getFloat(4 * Float.BYTES) + 3e-4f);
        second.put("logits", Base64.getEncoder().encodeToString(logits.array()));
        Path corrupted = dir.resolve("fixtures.json");
        json.writeValue(corrupted.toFile(), fixtures);

        AssertionFailedError error = assertThrows(AssertionFailedError.class,
                () -> FixtureReplay.assertMatches(corrupted));
        ModelDescriptionTest.assertContains(error.getMessage(),
                "case 'batch-of-7' of fixtures.json window 1 logits [1]");
    }
}
