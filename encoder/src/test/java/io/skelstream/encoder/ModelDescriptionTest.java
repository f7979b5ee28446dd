package io.skelstream.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelDescriptionTest {

    @Test
    void shouldReadEveryMetadataFieldAndShapeOfTheModel() throws Exception {
        try (ActionEncoder encoder = ActionEncoder.open(TinyModel.valid(), TinyModel.cpu())) {
            ModelDescription model = encoder.description();

            assertEquals("tiny-valid", model.name());
            assertEquals(1, model.contract());
            assertEquals("kinect_v1_20", model.layout());
            assertEquals(TinyModel.T, model.frames());
            assertEquals(TinyModel.M, model.persons());
            assertEquals(TinyModel.V, model.joints());
            assertEquals(30.0, model.fps());
            assertEquals(TinyModel.LABELS, model.labels());
            assertEquals(TinyModel.K, model.labelCount());
            assertEquals(TinyModel.D, model.embeddingDim());
            assertEquals("supervised", model.objective());
            assertEquals("encoder-test", model.dataset());
            assertEquals("{\"top1\": 0.5}", model.metricsJson());
            assertEquals("2026-11-21T00:00:00Z", model.created());
            assertEquals("test", model.trainerVersion());
            assertEquals(TinyModel.WINDOW_FLOATS, model.windowFloats());
            assertEquals("1", model.metadata().get("skelstream.contract"));
            assertEquals(sha256OfResource(TinyModel.VALID), model.sha256());
        }
    }

    @Test
    void shouldLoadTheSameModelFromAPathWithTheSameHash() throws Exception {
        Path path = Path.of(resourceUri(TinyModel.VALID));
        try (ActionEncoder fromPath = ActionEncoder.open(ModelSource.ofPath(path), TinyModel.cpu());
             ActionEncoder fromClasspath = ActionEncoder.open(TinyModel.valid(), TinyModel.cpu())) {
            assertEquals(fromClasspath.description(), fromPath.description());
        }
    }

    @Test
    void shouldPreferTheModelsOwnNameAndCheckTheOptionalJointCount() {
        try (ActionEncoder encoder = ActionEncoder.open(ModelSource.ofClasspath("/models/tiny-named.onnx"),
                TinyModel.cpu())) {
            assertEquals("tiny-with-a-name", encoder.description().name());
            assertEquals(TinyModel.V, encoder.description().joints());
        }
    }

    @Test
    void shouldBeImmutable() {
        try (ActionEncoder encoder = ActionEncoder.open(TinyModel.valid(), TinyModel.cpu())) {
            List<String> labels = encoder.description().labels();
            assertThrows(UnsupportedOperationException.class, () -> labels.add("sit"));
            assertThrows(UnsupportedOperationException.class,
                    () -> encoder.description().metadata().put("skelstream.layout", "coco17"));
        }
    }

    @Test
    void shouldNameTheFileThatCannotBeRead() {
        Path missing = Path.of("no-such-dir", "missing.onnx");
        EncoderException error = assertThrows(EncoderException.class,
                () -> ActionEncoder.open(ModelSource.ofPath(missing), TinyModel.cpu()));
        assertContains(error.getMessage(), missing.toAbsolutePath().toString());

        EncoderException noResource = assertThrows(EncoderException.class,
                () -> ActionEncoder.open(ModelSource.ofClasspath("models/absent.onnx"), TinyModel.cpu()));
        assertContains(noResource.getMessage(), "classpath:models/absent.onnx");
    }

    static void assertContains(String text, String expected) {
        if (!text.contains(expected)) {
            throw new AssertionError("expected message to contain <" + expected + "> but was <" + text + ">");
        }
    }

    static java.net.URI resourceUri(String resource) throws URISyntaxException {
        return ModelDescriptionTest.class.getClassLoader().getResource(resource).toURI();
    }

    private static String sha256OfResource(String resource) throws Exception {
        try (InputStream in = ModelDescriptionTest.class.getClassLoader().getResourceAsStream(resource)) {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
        }
    }
}
