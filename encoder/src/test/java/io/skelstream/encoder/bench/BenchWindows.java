package io.skelstream.encoder.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * The windows the benchmarks feed the encoder: the real ones of the trainer's fixtures.json beside the model (cut from
 * the held-out test set, as PyTorch eager's are), all-zero cases left out; random bodies when there is no such file.
 */
final class BenchWindows {

    private BenchWindows() {
    }

    /** Windows of windowFloats floats each ([T][M][V][3] metres); never empty. */
    static List<float[]> load(Path modelFile, int windowFloats) throws IOException {
        List<float[]> windows = new ArrayList<>();
        Path fixtures = modelFile.resolveSibling("fixtures.json");
        if (Files.isRegularFile(fixtures)) {
            for (JsonNode fixture : new ObjectMapper().readTree(fixtures.toFile()).path("cases")) {
                FloatBuffer joints = ByteBuffer.wrap(Base64.getDecoder().decode(fixture.path("joints").asText()))
                        .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                while (joints.remaining() >= windowFloats) {
                    float[] window = new float[windowFloats];
                    joints.get(window);
                    if (!allZero(window)) {
                        windows.add(window);
                    }
                }
            }
        }
        if (windows.isEmpty()) {
            // bodies about 3 m from the camera (z), half a metre of spread: the scale of real poses
            Random random = new Random(42);
            float[] window = new float[windowFloats];
            for (int i = 0; i < windowFloats; i++) {
                window[i] = (float) (random.nextGaussian() * 0.5 + (i % 3 == 2 ? 3.0 : 0.0));
            }
            windows.add(window);
        }
        return windows;
    }

    private static boolean allZero(float[] window) {
        for (float value : window) {
            if (value != 0f) {
                return false;
            }
        }
        return true;
    }
}
