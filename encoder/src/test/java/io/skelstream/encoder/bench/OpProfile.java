package io.skelstream.encoder.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Where ONNX Runtime spends a run, per op type: runs the model with the session's profiler on (the encoder's session
 * settings: ALL_OPT, sequential, inter-op 1, no spinning, no memory patterns) and sums the kernel times of the trace
 * by op type (after ONNX Runtime's own fusions, so the names are the kernels that really ran).
 *
 * <pre>
 * mvn -B -o -q -pl encoder test -Dtest=OpProfile -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dskelstream.bench.profile=true [-Dskelstream.bench.models=a.onnx,b.onnx] [-Dskelstream.bench.threads=1,2] \
 *     [-Dskelstream.bench.batches=1,32] [-Dskelstream.bench.runs=50]
 * </pre>
 */
public final class OpProfile {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @EnabledIfSystemProperty(named = "skelstream.bench.profile", matches = "true")
    void profile() throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int runs = Integer.parseInt(setting("runs", "50"));
        Path work = Files.createTempDirectory("ort-profile");
        for (String model : setting("models", "../models/bundled/skelstream-tiny.onnx").split(",")) {
            Path file = Path.of(model.trim()).toAbsolutePath().normalize();
            for (String threads : setting("threads", "1,2").split(",")) {
                for (String batch : setting("batches", "1,32").split(",")) {
                    Map<String, double[]> byOp = profileOnce(env, file, Integer.parseInt(threads.trim()),
                            Integer.parseInt(batch.trim()), runs, work);
                    print(file, threads.trim(), batch.trim(), runs, byOp);
                }
            }
        }
    }

    /** op type -> {total microseconds, kernel calls}, over `runs` runs after 5 warm-up runs. */
    private static Map<String, double[]> profileOnce(OrtEnvironment env, Path model, int threads, int batch,
                                                     int runs, Path work) throws Exception {
        Path trace;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setInterOpNumThreads(1);
            options.setIntraOpNumThreads(threads);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.setMemoryPatternOptimization(false);
            options.enableProfiling(work.resolve("profile-" + threads + "-" + batch).toString());
            try (OrtSession session = env.createSession(model.toString(), options)) {
                String input = session.getInputNames().iterator().next();
                long[] shape = session.getInputInfo().get(input).getInfo() instanceof ai.onnxruntime.TensorInfo info
                        ? info.getShape() : null;
                shape[0] = batch;
                int floats = 1;
                for (long d : shape) {
                    floats *= (int) d;
                }
                // [batch, T, M, V, 3] metres: bodies around 3 m from the camera
                FloatBuffer joints = ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder())
                        .asFloatBuffer();
                Random random = new Random(7);
                for (int i = 0; i < floats; i++) {
                    joints.put((float) (random.nextGaussian() * 0.3 + (i % 3 == 2 ? 3.0 : 0.0)));
                }
                joints.rewind();
                try (OnnxTensor tensor = OnnxTensor.createTensor(env, joints, shape)) {
                    for (int r = 0; r < runs + 5; r++) {
                        session.run(Map.of(input, tensor)).close();
                    }
                }
                trace = Path.of(session.endProfiling());
            }
        }
        Map<String, double[]> byOp = new TreeMap<>();
        JsonNode events = JSON.readTree(trace.toFile());
        int modelRuns = 0;
        List<Double> runTimes = new ArrayList<>();
        for (JsonNode event : events) {
            if ("Session".equals(event.path("cat").asText()) && "model_run".equals(event.path("name").asText())) {
                modelRuns++;
                runTimes.add(event.path("dur").asDouble());
            }
        }
        int skip = Math.max(0, modelRuns - runs);   // leave the warm-up runs out
        int seen = 0;
        for (JsonNode event : events) {
            String name = event.path("name").asText();
            if ("Session".equals(event.path("cat").asText()) && "model_run".equals(name)) {
                seen++;
            } else if ("Node".equals(event.path("cat").asText()) && name.endsWith("_kernel_time") && seen >= skip) {
                String op = event.path("args").path("op_name").asText("?");
                double[] sum = byOp.computeIfAbsent(op, k -> new double[2]);
                sum[0] += event.path("dur").asDouble();
                sum[1]++;
            }
        }
        Files.deleteIfExists(trace);
        return byOp;
    }

    private static void print(Path model, String threads, String batch, int runs, Map<String, double[]> byOp) {
        double total = byOp.values().stream().mapToDouble(v -> v[0]).sum();
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "%n%s threads=%s batch=%s: %.3f ms of kernels per run%n| op | share | ms per run | kernels per run |%n"
                        + "|---|---:|---:|---:|%n", model.getFileName(), threads, batch, total / runs / 1000));
        byOp.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0]))
                .forEach(e -> out.append(String.format(Locale.ROOT, "| %s | %.1f%% | %.3f | %.0f |%n", e.getKey(),
                        100 * e.getValue()[0] / total, e.getValue()[0] / runs / 1000, e.getValue()[1] / runs)));
        System.out.print(out);
    }

    private static String setting(String name, String fallback) {
        String value = System.getProperty("skelstream.bench." + name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
