package io.skelstream.it.bench;

import io.skelstream.encoder.ActionEncoder;
import io.skelstream.encoder.EncoderOptions;
import io.skelstream.encoder.ExecutionProvider;
import io.skelstream.encoder.ModelSource;
import io.skelstream.encoder.WindowBatch;
import io.skelstream.it.harness.PoseFrames;
import java.nio.FloatBuffer;
import java.nio.file.Path;

/**
 * The encoder alone: {@link ActionEncoder#run} on full batches of one size, back to back on one thread, with the
 * options the app uses by default (CPU, intra-op threads = all cores), in this JVM. Windows hold the benchmark's
 * moving person as person 0 and zeros (absent) for the others, as the app's windows of a one-person device do.
 */
final class RawEncoderRate {

    private RawEncoderRate() {
    }

    /** Windows per second at {@code batchSize}, over about {@code seconds} after three warm-up runs. */
    static double windowsPerSecond(Path model, int batchSize, double seconds) {
        EncoderOptions options = EncoderOptions.builder().provider(ExecutionProvider.CPU).build();
        try (ActionEncoder encoder = ActionEncoder.open(ModelSource.ofPath(model), options)) {
            int frames = encoder.description().frames();
            int persons = encoder.description().persons();
            int joints = encoder.description().joints();
            double fps = encoder.description().fps();
            WindowBatch batch = encoder.newBatch(batchSize);
            for (int w = 0; w < batchSize; w++) {
                FloatBuffer window = batch.window(batch.add()); // [T][M][V][3], zeros = absent
                for (int t = 0; t < frames; t++) {
                    long micros = Math.round((w * 0.1 + t / fps) * 1e6);
                    window.position(t * persons * joints * 3);
                    window.put(PoseFrames.joints(micros, 0));
                }
                window.rewind();
            }
            for (int i = 0; i < 3; i++) {
                encoder.run(batch);
            }
            long start = System.nanoTime();
            long deadline = start + Math.round(seconds * 1e9);
            long runs = 0;
            while (System.nanoTime() < deadline || runs < 3) {
                encoder.run(batch);
                runs++;
            }
            return runs * batchSize / ((System.nanoTime() - start) / 1e9);
        }
    }
}
