package io.skelstream.encoder.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skelstream.encoder.ActionEncoder;
import io.skelstream.encoder.EncoderOptions;
import io.skelstream.encoder.ExecutionProvider;
import io.skelstream.encoder.ModelDescription;
import io.skelstream.encoder.ModelSource;
import io.skelstream.encoder.WindowBatch;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Throughput of the encoder on one model: windows/s at each batch size with one intra-op thread and with all cores,
 * the model's FLOPs per window, the GFLOP/s achieved against ONNX Runtime's own matmul peak on this machine, and the
 * speed-up over PyTorch eager when its numbers (from encoder/bench/pytorch_eager.py, same model, same batches, same
 * run) are given. Writes its section of BENCHMARKS.md. A benchmark, not a timed test: it asserts nothing about speed.
 *
 * <p>Run it with encoder/bench/run.sh, which runs PyTorch first. Settings are system properties
 * {@code skelstream.bench.*}: {@code model}, {@code batches} (1,8,32,128), {@code seconds} per point (2),
 * {@code providers} (cpu; cpu,cuda on a GPU host), {@code flopsPerWindow} (used when the model carries no
 * {@code skelstream.flops_per_window}), {@code pytorch} (PyTorch eager result files, comma-separated; the
 * best rate per point counts), {@code out} (../BENCHMARKS.md), {@code command} (how it was run, for the report),
 * {@code phase} ({@code measure}: measure, save to {@code results} and write the section; {@code report}: rewrite the
 * section from the saved results, e.g. after PyTorch ran once more).
 */
public final class EncoderBenchmark {
    static final String SECTION = "encoder-benchmark";
    private static final int MATMUL_SIZE = 1024;
    private static final int SEGMENTS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One measured configuration. {@code spinning}: ONNX Runtime's idle intra-op threads busy-wait between ops
     * ({@link EncoderOptions#allowSpinning()}); measured for CPU with more than one thread, where it saves a thread
     * wake-up per op.
     */
    record Point(ExecutionProvider provider, int threads, boolean spinning, int batch, double windowsPerSecond) {
        double msPerBatch() {
            return 1000.0 * batch / windowsPerSecond;
        }

        String threadsLabel() {
            return threads + (spinning ? " (spinning)" : "");
        }
    }

    /** Lets surefire run the benchmark with the module's test classpath: mvn ... -Dtest=EncoderBenchmark. */
    @Test
    @EnabledIfSystemProperty(named = "skelstream.bench", matches = "true")
    void runFromMaven() throws Exception {
        main(new String[0]);
    }

    public static void main(String[] args) throws Exception {
        Path modelFile = Path.of(setting("model", "../models/bundled/skelstream-tiny.onnx")).toAbsolutePath()
                .normalize();
        int[] batches = Arrays.stream(setting("batches", "1,8,32,128").split(",")).map(String::trim)
                .mapToInt(Integer::parseInt).toArray();
        double seconds = Double.parseDouble(setting("seconds", "2"));
        List<ExecutionProvider> providers = Arrays.stream(setting("providers", "cpu").split(","))
                .map(ExecutionProvider::parse).toList();
        int cores = Runtime.getRuntime().availableProcessors();
        int[] threadCounts = cores > 1 ? new int[] {1, cores} : new int[] {1};
        if (!Files.isRegularFile(modelFile)) {
            throw new IllegalArgumentException("benchmark model not found: " + modelFile
                    + " (set -Dskelstream.bench.model=... or commit models/bundled/skelstream-tiny.onnx)");
        }

        Machine machine = Machine.current();
        Path resultsFile = Path.of(setting("results", "target-bench/encoder-results.json")).toAbsolutePath();
        Measurement measurement;
        if (setting("phase", "measure").equals("report")) {
            measurement = JSON.readValue(resultsFile.toFile(), Measurement.class);
        } else {
            System.out.println("Machine: " + machine);
            measurement = measure(modelFile, providers, threadCounts, batches, seconds);
            Files.createDirectories(resultsFile.getParent());
            JSON.writeValue(resultsFile.toFile(), measurement);
        }
        ModelDescription model;
        try (ActionEncoder encoder = ActionEncoder.open(ModelSource.ofPath(modelFile),
                EncoderOptions.builder().provider(ExecutionProvider.CPU).intraOpThreads(1).build())) {
            model = encoder.description();
        }
        String report = report(modelFile, model, machine, measurement, flopsPerWindow(model), pytorchResults());
        Path out = Path.of(setting("out", "../BENCHMARKS.md")).toAbsolutePath().normalize();
        BenchmarksFile.writeSection(out, SECTION, report);
        System.out.println(report);
        System.out.println("Wrote section '" + SECTION + "' of " + out);
    }

    /** What one measuring run found; saved so the report can be rewritten once PyTorch has run again. */
    record Measurement(List<Point> points, int[] threadCounts, double[] peak, String load) {
    }

    private static Measurement measure(Path modelFile, List<ExecutionProvider> providers, int[] threadCounts,
                                       int[] batches, double seconds) throws Exception {
        String loadBefore = Machine.loadAverage();
        List<Point> points = new ArrayList<>();
        for (ExecutionProvider provider : providers) {
            for (int threads : threadCounts) {
                // spinning only matters where there are idle pool threads to spin: CPU, more than one thread
                boolean[] spinnings = provider == ExecutionProvider.CPU && threads > 1
                        ? new boolean[] {false, true} : new boolean[] {false};
                for (boolean spinning : spinnings) {
                    EncoderOptions options = EncoderOptions.builder().provider(provider).intraOpThreads(threads)
                            .allowSpinning(spinning).build();
                    try (ActionEncoder encoder = ActionEncoder.open(ModelSource.ofPath(modelFile), options)) {
                        List<float[]> windows = BenchWindows.load(modelFile, encoder.description().windowFloats());
                        for (int batch : batches) {
                            Point point = new Point(provider, threads, spinning, batch,
                                    windowsPerSecond(encoder, batch, seconds, windows));
                            System.out.printf(Locale.ROOT, "%s threads=%s batch=%d: %.1f windows/s%n",
                                    provider.configName(), point.threadsLabel(), batch, point.windowsPerSecond());
                            points.add(point);
                        }
                    }
                }
            }
        }
        double[] peak = new double[threadCounts.length];
        for (int i = 0; i < threadCounts.length; i++) {
            peak[i] = matmulPeakGflops(threadCounts[i], seconds);
            System.out.printf(Locale.ROOT, "matmul peak threads=%d: %.1f GFLOP/s%n", threadCounts[i], peak[i]);
        }
        return new Measurement(points, threadCounts, peak, loadBefore + " before, " + Machine.loadAverage()
                + " after");
    }

    /**
     * Median over segments of the same full batch run back to back, after a warm-up. The batch holds the given
     * windows ({@link BenchWindows}), cycling when the batch is larger.
     */
    static double windowsPerSecond(ActionEncoder encoder, int batchSize, double seconds, List<float[]> windows) {
        WindowBatch batch = encoder.newBatch(batchSize);
        for (int w = 0; w < batchSize; w++) {
            batch.window(batch.add()).put(windows.get(w % windows.size()));
        }
        long warmUpEnd = System.nanoTime() + (long) (0.2 * seconds * 1e9);
        do {
            encoder.run(batch);
        } while (System.nanoTime() < warmUpEnd);
        double[] rates = new double[SEGMENTS];
        long segmentNanos = (long) (seconds * 1e9 / SEGMENTS);
        for (int s = 0; s < SEGMENTS; s++) {
            long start = System.nanoTime();
            long runs = 0;
            long now;
            do {
                encoder.run(batch);
                runs++;
                now = System.nanoTime();
            } while (now - start < segmentNanos);
            rates[s] = runs * batchSize / ((now - start) / 1e9);
        }
        Arrays.sort(rates);
        return rates[SEGMENTS / 2];
    }

    /** GFLOP/s of ONNX Runtime on one square float MatMul (models/matmul.onnx): the fair peak for its kernels. */
    private static double matmulPeakGflops(int threads, double seconds) throws Exception {
        byte[] model;
        try (InputStream in = EncoderBenchmark.class.getClassLoader().getResourceAsStream("models/matmul.onnx")) {
            model = in.readAllBytes();
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int n = MATMUL_SIZE;
        FloatBuffer a = ByteBuffer.allocateDirect(n * n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        Random random = new Random(1);
        while (a.hasRemaining()) {
            a.put(random.nextFloat() - 0.5f);
        }
        a.rewind();
        long[] shape = {n, n};
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            try (OrtSession session = env.createSession(model, options);
                 OnnxTensor left = OnnxTensor.createTensor(env, a, shape);
                 OnnxTensor right = OnnxTensor.createTensor(env, a.duplicate(), shape)) {
                Map<String, OnnxTensor> inputs = Map.of("a", left, "b", right);
                double flopsPerRun = 2.0 * n * n * n;
                double best = 0;
                long end = System.nanoTime() + (long) (seconds * 1e9);
                while (System.nanoTime() < end || best == 0) {
                    long start = System.nanoTime();
                    try (OrtSession.Result ignored = session.run(inputs)) {
                        best = Math.max(best, flopsPerRun / ((System.nanoTime() - start) / 1e9) / 1e9);
                    }
                }
                return best;
            }
        }
    }

    /** The model's own count (skelstream.flops_per_window) first, else the one given (run.sh counts the graph). */
    private static Flops flopsPerWindow(ModelDescription model) {
        String fromModel = model.metadata().get("skelstream.flops_per_window");
        if (fromModel != null) {
            return new Flops(Double.parseDouble(fromModel), "skelstream.flops_per_window of the model");
        }
        String given = setting("flopsPerWindow", "");
        return given.isEmpty() ? null : new Flops(Double.parseDouble(given), setting("flopsSource", "given"));
    }

    /** FLOPs per window and where the number comes from. */
    record Flops(double perWindow, String source) {
    }

    /** Every PyTorch eager run given (comma-separated files); run.sh runs it before and after the encoder. */
    private static List<JsonNode> pytorchResults() throws Exception {
        List<JsonNode> runs = new ArrayList<>();
        for (String path : setting("pytorch", "").split(",")) {
            if (!path.isBlank() && Files.isRegularFile(Path.of(path.trim()))) {
                runs.add(JSON.readTree(Path.of(path.trim()).toFile()));
            }
        }
        return runs;
    }

    /**
     * PyTorch's best windows/s over its runs using at most {@code threads} cores (its results rows: the fastest
     * torch x OpenBLAS thread configuration within that many cores): the speed-up is claimed against its best showing.
     */
    private static Double pytorchRate(List<JsonNode> pytorch, int threads, int batch) {
        JsonNode best = pytorchBest(pytorch, threads, batch);
        return best == null ? null : best.path("windows_per_s").asDouble();
    }

    /** The fastest eager row for this batch with at most maxThreads cores (any count when maxThreads is 0). */
    private static JsonNode pytorchBest(List<JsonNode> pytorch, int maxThreads, int batch) {
        JsonNode best = null;
        for (JsonNode run : pytorch) {
            for (JsonNode result : run.path("results")) {
                boolean fits = maxThreads == 0 || result.path("threads").asInt() == maxThreads;
                if (fits && result.path("batch").asInt() == batch && (best == null
                        || result.path("windows_per_s").asDouble() > best.path("windows_per_s").asDouble())) {
                    best = result;
                }
            }
        }
        return best;
    }

    /** "torch 2 x BLAS 1" for an eager row (BLAS absent when torch's own setting rules). */
    private static String eagerConfig(JsonNode row) {
        JsonNode blas = row.path("blas_threads");
        return "torch " + row.path("torch_threads").asText("?")
                + (blas.isMissingNode() || blas.isNull() ? "" : " x BLAS " + blas.asText());
    }

    private static String report(Path modelFile, ModelDescription model, Machine machine, Measurement measurement,
                                 Flops flops, List<JsonNode> pytorch) {
        List<Point> points = measurement.points();
        int[] threadCounts = measurement.threadCounts();
        double[] peak = measurement.peak();
        StringBuilder md = new StringBuilder();
        md.append("## Encoder: ONNX Runtime in Java vs PyTorch eager\n\n");
        md.append("Measured by `").append(setting("command", "encoder/bench/run.sh")).append("` on ")
                .append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(", one run, one machine.\n\n");
        md.append(machine.markdown());
        md.append("- Load average (1 min) during the encoder runs: ").append(measurement.load()).append(" (on ")
                .append(machine.cores()).append(" cores; above that, other processes shared the CPU)\n");
        md.append("- Model: `").append(modelFile.getFileName()).append("` '").append(model.name())
                .append("' (sha256 ").append(model.sha256(), 0, 12).append("...), T=").append(model.frames())
                .append(" M=").append(model.persons()).append(" V=").append(model.joints()).append(", K=")
                .append(model.labelCount()).append(", D=").append(model.embeddingDim()).append('\n');
        md.append("- FLOPs per window: ").append(flops == null ? "unknown"
                : String.format(Locale.ROOT, "%.4g (%s)", flops.perWindow(), flops.source())).append('\n');
        md.append("- Matmul peak (ONNX Runtime, one ").append(MATMUL_SIZE).append("x").append(MATMUL_SIZE)
                .append(" float32 MatMul, best run):");
        for (int i = 0; i < threadCounts.length; i++) {
            md.append(String.format(Locale.ROOT, " %d thread%s %.1f GFLOP/s%s", threadCounts[i],
                    threadCounts[i] == 1 ? "" : "s", peak[i], i + 1 < threadCounts.length ? ";" : ""));
        }
        md.append('\n');
        if (pytorch.isEmpty()) {
            md.append("- PyTorch eager: not measured in this run\n");
        }
        for (JsonNode run : pytorch) {
            md.append("- PyTorch eager: ").append(run.path("torch").asText("?")).append(", ")
                    .append(run.path("source").asText("encoder/bench/pytorch_eager.py")).append(", load average ")
                    .append(run.path("load_average").asText("?")).append('\n');
            for (JsonNode row : run.path("configurations")) {
                if (row.path("batch").asInt() == 1 || row.path("batch").asInt() == 32) {
                    md.append(String.format(Locale.ROOT, "  - eager %s, batch %d: %.1f windows/s%n", eagerConfig(row),
                            row.path("batch").asInt(), row.path("windows_per_s").asDouble()));
                }
            }
        }
        md.append("\nWindows/s: the same full batch of real windows (the encoder: the model's fixtures.json, held-out "
                + "test windows; PyTorch: the bundled test set) run back to back, median of ").append(SEGMENTS)
                .append(" segments after a warm-up; intra-op threads as listed, inter-op 1; idle pool threads sleep between ops "
                + "(the default, for an encoder that shares its cores with stream threads) except in the rows marked "
                + "'spinning' (`EncoderOptions.allowSpinning`: for an encoder with its cores to itself). PyTorch eager (real windows of "
                        + "the bundled test set, the trainer checkpoint): the best of its runs (run.sh runs it before and "
                        + "after the encoder) and of its thread configurations (torch threads x OpenBLAS threads, whose "
                        + "pool ignores torch.set_num_threads): 'same cores' uses at most the encoder's thread count "
                        + "(1 thread = torch 1 x BLAS 1), 'best' any configuration on this machine.\n");
        double worstLoad = Arrays.stream(measurement.load().split("[^0-9.]+")).filter(t -> !t.isEmpty())
                .mapToDouble(Double::parseDouble).max().orElse(0);
        if (worstLoad > machine.cores()) {
            md.append("\n**Caution:** the machine was oversubscribed (load average up to ")
                    .append(String.format(Locale.ROOT, "%.1f", worstLoad)).append(" on ").append(machine.cores())
                    .append(" cores): other processes took CPU time from both sides, unevenly, so the numbers and "
                            + "ratios below are indicative only. Rerun on a quiet machine for figures to quote.\n");
        }
        md.append('\n');
        md.append("| provider | threads | batch | windows/s | ms/batch | GFLOP/s | % of matmul peak "
                + "| eager, same cores | speed-up | eager, best config | speed-up |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Point p : points) {
            int t = Arrays.binarySearch(threadCounts, p.threads());
            double achieved = flops == null ? 0 : p.windowsPerSecond() * flops.perWindow() / 1e9;
            String gflops = flops == null ? "" : String.format(Locale.ROOT, "%.2f", achieved);
            String ofPeak = flops == null || p.provider() != ExecutionProvider.CPU ? ""
                    : String.format(Locale.ROOT, "%.1f%%", 100 * achieved / peak[t]);
            Double torch = p.provider() == ExecutionProvider.CPU ? pytorchRate(pytorch, p.threads(), p.batch()) : null;
            JsonNode best = pytorchBest(pytorch, 0, p.batch());
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %.1f | %.3f | %s | %s | %s | %s | %s | %s |%n",
                    p.provider().configName(), p.threadsLabel(), p.batch(), p.windowsPerSecond(), p.msPerBatch(), gflops,
                    ofPeak, torch == null ? "" : String.format(Locale.ROOT, "%.1f", torch),
                    torch == null ? "" : String.format(Locale.ROOT, "%.2fx", p.windowsPerSecond() / torch),
                    best == null ? "" : String.format(Locale.ROOT, "%.1f (%s)", best.path("windows_per_s").asDouble(),
                            eagerConfig(best)),
                    best == null ? "" : String.format(Locale.ROOT, "%.2fx",
                            p.windowsPerSecond() / best.path("windows_per_s").asDouble())));
        }
        md.append("\nTargets (CPU: >= 2x PyTorch eager at batch 1, >= 1.5x at batch 32; GPU: CUDA at batch 64 >= 10x "
                + "CPU):\n\n");
        for (int threads : threadCounts) {
            for (boolean spinning : threads > 1 ? new boolean[] {false, true} : new boolean[] {false}) {
                target(md, points, pytorch, threads, spinning, 1, 2.0);
                target(md, points, pytorch, threads, spinning, 32, 1.5);
            }
        }
        // the strictest reading: the encoder's best thread count against eager's best configuration
        bestAgainstBest(md, points, pytorch, 1, 2.0);
        bestAgainstBest(md, points, pytorch, 32, 1.5);
        if (flops != null) {
            // what no implementation can beat here: every FLOP at the matmul peak
            for (int i = 0; i < threadCounts.length; i++) {
                Double eager = pytorchRate(pytorch, threadCounts[i], 1);
                double ceiling = peak[i] * 1e9 / flops.perWindow();
                md.append(String.format(Locale.ROOT, "- ceiling, %d thread%s: at the matmul peak (%.1f GFLOP/s) the "
                        + "model runs at most %.0f windows/s%s%n", threadCounts[i], threadCounts[i] == 1 ? "" : "s",
                        peak[i], ceiling, eager == null ? "" : String.format(Locale.ROOT,
                                " = %.2fx eager's batch-1 rate on the same cores; the 2x target at batch 1 is %s",
                                ceiling / eager, ceiling >= 2 * eager ? "within reach" : "out of reach here")));
            }
        }
        Point cuda64 = find(points, ExecutionProvider.CUDA, threadCounts[threadCounts.length - 1], false, 64);
        Point cpu64 = find(points, ExecutionProvider.CPU, threadCounts[threadCounts.length - 1], false, 64);
        if (cuda64 != null && cpu64 != null) {
            double ratio = cuda64.windowsPerSecond() / cpu64.windowsPerSecond();
            md.append(String.format(Locale.ROOT, "- CUDA vs CPU (all cores), batch 64: %.2fx (target >= 10x): %s%n",
                    ratio, ratio >= 10 ? "met" : "NOT met"));
        } else {
            md.append("- CUDA vs CPU at batch 64: not measured (no GPU in this run)\n");
        }
        return md.toString();
    }

    private static void target(StringBuilder md, List<Point> points, List<JsonNode> pytorch, int threads,
                               boolean spinning, int batch, double target) {
        Point point = find(points, ExecutionProvider.CPU, threads, spinning, batch);
        if (point == null && spinning) {
            return; // an older results file, measured without the spinning rows
        }
        Double torch = pytorchRate(pytorch, threads, batch);
        String label = String.format(Locale.ROOT, "- batch %d, %d thread%s%s: ", batch, threads,
                threads == 1 ? "" : "s", spinning ? ", spinning" : "");
        if (point == null || torch == null) {
            md.append(label).append("not measured\n");
            return;
        }
        double ratio = point.windowsPerSecond() / torch;
        md.append(label).append(String.format(Locale.ROOT, "%.2fx PyTorch eager on the same cores (target >= %.1fx): "
                + "%s%n", ratio, target, ratio >= target ? "met" : "NOT met"));
    }

    private static void bestAgainstBest(StringBuilder md, List<Point> points, List<JsonNode> pytorch, int batch,
                                        double target) {
        Point point = points.stream().filter(p -> p.provider() == ExecutionProvider.CPU && p.batch() == batch)
                .max(java.util.Comparator.comparingDouble(Point::windowsPerSecond)).orElse(null);
        JsonNode best = pytorchBest(pytorch, 0, batch);
        String label = String.format(Locale.ROOT, "- batch %d, each at its best: ", batch);
        if (point == null || best == null) {
            md.append(label).append("not measured\n");
            return;
        }
        double ratio = point.windowsPerSecond() / best.path("windows_per_s").asDouble();
        md.append(label).append(String.format(Locale.ROOT, "encoder (%d thread%s%s) %.2fx PyTorch eager (%s) "
                + "(target >= %.1fx): %s%n", point.threads(), point.threads() == 1 ? "" : "s",
                point.spinning() ? ", spinning" : "", ratio,
                eagerConfig(best), target, ratio >= target ? "met" : "NOT met"));
    }

    private static Point find(List<Point> points, ExecutionProvider provider, int threads, boolean spinning,
                              int batch) {
        return points.stream().filter(p -> p.provider() == provider && p.threads() == threads
                        && p.spinning() == spinning && p.batch() == batch)
                .findFirst().orElse(null);
    }

    private static String setting(String name, String fallback) {
        String value = System.getProperty("skelstream.bench." + name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
