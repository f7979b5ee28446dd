package io.skelstream.it.online;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skelstream.encoder.ActionEncoder;
import io.skelstream.encoder.EncoderOptions;
import io.skelstream.encoder.ExecutionProvider;
import io.skelstream.encoder.ModelDescription;
import io.skelstream.encoder.ModelSource;
import io.skelstream.encoder.WindowBatch;
import io.skelstream.encoder.WindowResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The model's offline label for every sequence of a dataset, by the trainer's protocol: the trainer's own code cuts
 * each sequence's centre crop ({@code src/test/python/centre_crops.py}: ClipSampler.test_clips, one crop, as the
 * probe evaluation behind metrics.json does) and the bundled ONNX model scores it through our Java encoder.
 */
public final class OfflineScores {

    /** One sequence scored offline. */
    public record Scored(String id, String label, int frames, String predicted) {
        public boolean right() {
            return predicted.equals(label);
        }
    }

    private OfflineScores() {
    }

    /** Sequence id -> offline result, in file order. */
    public static Map<String, Scored> score(Path repoRoot, Path model, Path dataset, Path workDir)
            throws IOException, InterruptedException {
        EncoderOptions options = new EncoderOptions(ExecutionProvider.CPU, 0, 2, EncoderOptions.DEFAULT_TOP_K);
        try (ActionEncoder encoder = ActionEncoder.open(ModelSource.ofPath(model), options)) {
            ModelDescription d = encoder.description();
            Path out = workDir.resolve("centre-crops");
            Process python = new ProcessBuilder("/usr/bin/python3",
                    repoRoot.resolve("integration-tests/src/test/python/centre_crops.py").toString(),
                    "--trainer", repoRoot.resolve("trainer").toString(), "--dataset", dataset.toString(),
                    "--fps", String.valueOf(d.fps()), "--frames", String.valueOf(d.frames()),
                    "--persons", String.valueOf(d.persons()), "--layout", d.layout(), "--out", out.toString())
                    .redirectErrorStream(true).redirectOutput(workDir.resolve("centre-crops.log").toFile()).start();
            if (!python.waitFor(120, TimeUnit.SECONDS) || python.exitValue() != 0) {
                throw new IllegalStateException("centre_crops.py failed: "
                        + Files.readString(workDir.resolve("centre-crops.log")));
            }
            JsonNode index = new ObjectMapper().readTree(Path.of(out + ".json").toFile());
            FloatBuffer crops = ByteBuffer.wrap(Files.readAllBytes(Path.of(out + ".f32")))
                    .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            int windowFloats = d.frames() * d.persons() * d.joints() * 3;
            if (crops.remaining() != index.size() * windowFloats) {
                throw new IllegalStateException("crops file holds " + crops.remaining() + " floats, expected "
                        + index.size() + " x " + windowFloats);
            }
            Map<String, Scored> scored = new LinkedHashMap<>();
            WindowBatch batch = encoder.newBatch(32);
            List<JsonNode> pending = new ArrayList<>();
            float[] window = new float[windowFloats];
            for (int i = 0; i < index.size(); i++) {
                crops.get(window);
                batch.window(batch.add()).put(window);
                pending.add(index.get(i));
                if (batch.isFull() || i == index.size() - 1) {
                    List<WindowResult> results = encoder.run(batch);
                    for (int k = 0; k < pending.size(); k++) {
                        JsonNode sequence = pending.get(k);
                        scored.put(sequence.get("id").asText(), new Scored(sequence.get("id").asText(),
                                sequence.get("label").asText(), sequence.get("frames").asInt(),
                                results.get(k).topLabel()));
                    }
                    batch.clear();
                    pending.clear();
                }
            }
            return scored;
        } catch (io.skelstream.encoder.EncoderException e) {
            throw new IllegalStateException("cannot score " + dataset + " offline with " + model + ": " + e, e);
        }
    }
}
