package io.skelstream.encoder.bench;

import io.skelstream.encoder.ActionEncoder;
import io.skelstream.encoder.EncoderOptions;
import io.skelstream.encoder.ExecutionProvider;
import io.skelstream.encoder.ModelSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Compares encoder variants (model files x spinning on/off x ONNX Runtime session entries) in one JVM, interleaved: every round measures every
 * variant once per (threads, batch) point, in turn, so a load change on a shared machine hits all variants alike.
 * Reports per variant the median over rounds and its ratio to the first variant. For A/B decisions (a graph
 * rewrite, the spinning default), not for BENCHMARKS.md.
 *
 * <pre>
 * mvn -B -o -q -pl encoder test -Dtest=SideBySideBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dskelstream.bench.sideBySide=true -Dskelstream.bench.models=a.onnx,b.onnx \
 *     [-Dskelstream.bench.spinning=false,true] [-Dskelstream.bench.threads=1,2] [-Dskelstream.bench.batches=1,32] \
 *     [-Dskelstream.bench.sessionConfigs='none|session.dynamic_block_base=4'] \
 *     [-Dskelstream.bench.rounds=5] [-Dskelstream.bench.seconds=1]
 * </pre>
 */
public final class SideBySideBenchmark {

    /** One variant: which model file, spinning or not, further ONNX Runtime session entries. */
    record Variant(Path model, boolean spinning, Map<String, String> sessionConfig) {
        String label() {
            return model.getFileName() + (spinning ? " spin" : " nospin")
                    + (sessionConfig.isEmpty() ? "" : " " + sessionConfig);
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "skelstream.bench.sideBySide", matches = "true")
    void compare() throws Exception {
        List<Variant> variants = new ArrayList<>();
        for (String model : setting("models", "../models/bundled/skelstream-tiny.onnx").split(",")) {
            Path file = Path.of(model.trim()).toAbsolutePath().normalize();
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("skelstream.bench.models: " + file + " does not exist");
            }
            for (String spinning : setting("spinning", "false").split(",")) {
                for (String entries : setting("sessionConfigs", "none").split("\\|")) {
                    variants.add(new Variant(file, Boolean.parseBoolean(spinning.trim()), sessionEntries(entries)));
                }
            }
        }
        int[] threads = ints(setting("threads", "1," + Runtime.getRuntime().availableProcessors()));
        int[] batches = ints(setting("batches", "1,32"));
        int rounds = Integer.parseInt(setting("rounds", "5"));
        double seconds = Double.parseDouble(setting("seconds", "1"));

        // rates[variant][threads][batch][round]
        double[][][][] rates = new double[variants.size()][threads.length][batches.length][rounds];
        for (int t = 0; t < threads.length; t++) {
            List<ActionEncoder> encoders = new ArrayList<>();
            try {
                for (Variant variant : variants) {
                    encoders.add(ActionEncoder.open(ModelSource.ofPath(variant.model()), EncoderOptions.builder()
                            .provider(ExecutionProvider.CPU).intraOpThreads(threads[t])
                            .allowSpinning(variant.spinning()).sessionConfig(variant.sessionConfig()).build()));
                }
                List<List<float[]>> windows = new ArrayList<>();
                for (int v = 0; v < variants.size(); v++) {
                    windows.add(BenchWindows.load(variants.get(v).model(),
                            encoders.get(v).description().windowFloats()));
                }
                for (int r = 0; r < rounds; r++) {
                    for (int b = 0; b < batches.length; b++) {
                        for (int v = 0; v < variants.size(); v++) {
                            // rotate the order each round: no variant always runs first (cold) or last
                            int index = (v + r) % variants.size();
                            rates[index][t][b][r] = EncoderBenchmark.windowsPerSecond(encoders.get(index),
                                    batches[b], seconds, windows.get(index));
                        }
                    }
                    System.out.printf(Locale.ROOT, "threads=%d round %d/%d done, load %s%n", threads[t], r + 1,
                            rounds, Machine.loadAverage());
                }
            } finally {
                for (ActionEncoder encoder : encoders) {
                    encoder.close();
                }
            }
        }

        StringBuilder table = new StringBuilder("| variant | threads | batch | median windows/s | rounds | vs "
                + variants.get(0).label() + " |\n|---|---:|---:|---:|---|---:|\n");
        Map<String, Double> baseline = new LinkedHashMap<>();
        for (int v = 0; v < variants.size(); v++) {
            for (int t = 0; t < threads.length; t++) {
                for (int b = 0; b < batches.length; b++) {
                    double median = median(rates[v][t][b]);
                    String key = threads[t] + "/" + batches[b];
                    if (v == 0) {
                        baseline.put(key, median);
                    }
                    table.append(String.format(Locale.ROOT, "| %s | %d | %d | %.1f | %s | %.2fx |%n",
                            variants.get(v).label(), threads[t], batches[b], median, rounded(rates[v][t][b]),
                            median / baseline.get(key)));
                }
            }
        }
        System.out.println(table);
    }

    /** "none", or ONNX Runtime session entries "key=value;key=value". */
    private static Map<String, String> sessionEntries(String list) {
        Map<String, String> entries = new LinkedHashMap<>();
        if (!list.isBlank() && !list.trim().equals("none")) {
            for (String entry : list.split(";")) {
                String[] keyValue = entry.split("=", 2);
                if (keyValue.length != 2) {
                    throw new IllegalArgumentException("skelstream.bench.sessionConfigs: expected key=value, got "
                            + entry);
                }
                entries.put(keyValue[0].trim(), keyValue[1].trim());
            }
        }
        return entries;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static String rounded(double[] values) {
        StringBuilder out = new StringBuilder();
        for (double value : values) {
            out.append(out.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.0f", value));
        }
        return out.toString();
    }

    private static int[] ints(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    }

    private static String setting(String name, String fallback) {
        String value = System.getProperty("skelstream.bench." + name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
