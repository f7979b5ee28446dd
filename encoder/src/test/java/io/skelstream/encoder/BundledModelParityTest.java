package io.skelstream.encoder;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Replays the trainer's parity fixtures (models/bundled/fixtures.json) through the bundled model: every case's logits
 * and embeddings must match PyTorch's within the fixture's tolerance (1e-4).
 *
 * <p>A missing bundled model fails the test while the system property {@value #REQUIRE_PROPERTY} is true (the
 * encoder pom's default, passed to the tests by surefire); with it false the test is skipped, never passed. The folder defaults to ../models/bundled from the encoder
 * module; {@value #DIR_PROPERTY} overrides it.
 */
class BundledModelParityTest {
    static final String REQUIRE_PROPERTY = "skelstream.requireBundledModel";
    static final String DIR_PROPERTY = "skelstream.bundledModelDir";

    @Test
    void shouldMatchPyTorchOnEveryFixtureCase() throws Exception {
        Path fixtures = bundledFixtures();
        FixtureReplay.Summary summary = FixtureReplay.assertMatches(fixtures);

        assertTrue(summary.windows() > 0, "no window checked in " + fixtures);
        System.out.printf("Parity with PyTorch on %d windows of %s: max |logit error| %.3g, max |embedding error| "
                + "%.3g%n", summary.windows(), fixtures, summary.maxLogitError(), summary.maxEmbeddingError());
    }

    /** Spinning intra-op threads and one thread per op change scheduling only, never the numbers. */
    @Test
    void shouldMatchPyTorchWithSpinningThreadsAndWithOneThread() throws Exception {
        Path fixtures = bundledFixtures();
        for (EncoderOptions options : new EncoderOptions[] {
                EncoderOptions.builder().provider(ExecutionProvider.CPU).intraOpThreads(2).allowSpinning(true).build(),
                EncoderOptions.builder().provider(ExecutionProvider.CPU).intraOpThreads(1).build()}) {
            FixtureReplay.Summary summary = FixtureReplay.assertMatches(fixtures, options);
            assertTrue(summary.windows() > 0, "no window checked in " + fixtures + " with " + options);
        }
    }

    private static Path bundledFixtures() {
        Path dir = Path.of(System.getProperty(DIR_PROPERTY, "../models/bundled")).toAbsolutePath().normalize();
        Path fixtures = dir.resolve("fixtures.json");
        if (!Files.isRegularFile(fixtures)) {
            String message = "bundled model fixtures missing: " + fixtures + " (written by the trainer's export "
                    + "with models/bundled/skelstream-tiny.onnx)";
            if (Boolean.getBoolean(REQUIRE_PROPERTY)) {
                fail(message + "; " + REQUIRE_PROPERTY + "=true requires them");
            }
            Assumptions.abort(message + "; skipped because " + REQUIRE_PROPERTY + " is not true");
        }
        return fixtures;
    }
}
