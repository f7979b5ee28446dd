package io.skelstream.it.bench;

import io.skelstream.it.harness.ChildKafkaBroker;
import io.skelstream.it.harness.PipelineUnderTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settings side by side at one real-time load: each variant runs {@link PacedRun} on the same broker, in rounds
 * (A B C, A B C, ...) so drift in the machine's load falls on every variant alike, and prints each run's latencies,
 * stage decomposition and CPU. A tuning tool, not part of BENCHMARKS.md; the report's numbers come from
 * {@link PipelineBenchmark}.
 *
 * <pre>
 * java ... io.skelstream.it.bench.LatencyVariants DEVICES SECONDS ROUNDS NAME[=KEY:VALUE,KEY:VALUE] ...
 * </pre>
 * e.g. {@code 41 35 2 defaults intra1=model.intra.op.threads:1}.
 */
public final class LatencyVariants {

    private LatencyVariants() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "io.skelstream.schemas");
        if (args.length < 4) {
            throw new IllegalArgumentException("usage: DEVICES SECONDS ROUNDS NAME[=KEY:VALUE,...] ...");
        }
        int devices = Integer.parseInt(args[0]);
        double seconds = Double.parseDouble(args[1]);
        int rounds = Integer.parseInt(args[2]);
        Map<String, Map<String, String>> variants = new LinkedHashMap<>();
        for (int i = 3; i < args.length; i++) {
            String[] nameAndSettings = args[i].split("=", 2);
            Map<String, String> settings = new LinkedHashMap<>();
            if (nameAndSettings.length == 2) {
                for (String setting : nameAndSettings[1].split(",")) {
                    String[] kv = setting.split(":", 2);
                    settings.put(kv[0], kv[1]);
                }
            }
            variants.put(nameAndSettings[0], settings);
        }
        Path work = Path.of("integration-tests", "target", "bench-work").toAbsolutePath()
                .resolve("variants-" + System.currentTimeMillis());
        Path model = PipelineUnderTest.model();
        List<String> lines = new ArrayList<>();
        try (ChildKafkaBroker broker = ChildKafkaBroker.start(work.resolve("broker"))) {
            BenchContext context = new BenchContext(broker, work, model, PipelineUnderTest.describe(model), false);
            for (int round = 0; round < rounds; round++) {
                for (Map.Entry<String, Map<String, String>> variant : variants.entrySet()) {
                    String name = variant.getKey() + "-" + round;
                    PacedRun.Result r = PacedRun.run(context, name.replaceAll("[^a-zA-Z0-9-]", "-"), devices, seconds,
                            variant.getValue());
                    String line = String.format("%s (%s): visible %s | emitted %s | in %.0f/%.0f frames/s, windows "
                            + "%.1f/%.1f | %s | CPU %s", name, BenchContext.settingsText(variant.getValue()),
                            r.visible().describe(), r.emitted().describe(), r.framesPerSecondIn(),
                            r.framesPerSecondSent(), r.windowsPerSecond(), r.windowsDuePerSecond(), r.stages(), r.cpu());
                    System.out.println("VARIANT " + line);
                    lines.add(line);
                }
            }
        }
        System.out.println("\n==== summary");
        lines.forEach(System.out::println);
        System.exit(0);
    }
}
