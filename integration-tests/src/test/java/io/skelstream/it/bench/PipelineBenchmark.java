package io.skelstream.it.bench;

import io.skelstream.encoder.ModelDescription;
import io.skelstream.it.harness.ChildKafkaBroker;
import io.skelstream.it.harness.PipelineUnderTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The pipeline benchmarks (ingest, inference saturation, latency at half of saturation, scaling with devices) against
 * a real KRaft broker and the real app, each in its own child JVM; this JVM is the device fleet and the downstream
 * consumer. Writes the {@code pipeline-benchmark} section of BENCHMARKS.md. Not a test: run by scripts/bench.sh.
 *
 * <pre>
 * java -Dskelstream.it.classpathFile=... -Dskelstream.repoRoot=... io.skelstream.it.bench.PipelineBenchmark
 *     [--quick] [--only ingest,saturation,latency,scaling] [--out BENCHMARKS.md] [--work DIR]
 * </pre>
 */
public final class PipelineBenchmark {

    static final String BEGIN = "<!-- pipeline-benchmark:begin -->";
    static final String END = "<!-- pipeline-benchmark:end -->";
    private static final Set<String> ALL = new LinkedHashSet<>(Arrays.asList("ingest", "saturation", "latency", "scaling"));

    private PipelineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "io.skelstream.schemas");
        boolean quick = false;
        Set<String> only = ALL;
        Path out = PipelineUnderTest.repoRoot().resolve("BENCHMARKS.md");
        Path work = Path.of("integration-tests", "target", "bench-work");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--only" -> only = new LinkedHashSet<>(Arrays.asList(args[++i].split(",")));
                case "--out" -> out = Path.of(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (expected --quick, --only ingest,saturation,latency,scaling, --out FILE, --work DIR)");
            }
        }
        if (!ALL.containsAll(only)) {
            throw new IllegalArgumentException("--only takes some of " + ALL + ", got " + only);
        }
        Path workDir = work.toAbsolutePath().resolve("run-" + System.currentTimeMillis());
        Path model = PipelineUnderTest.model();
        ModelDescription description = PipelineUnderTest.describe(model);
        long started = System.nanoTime();
        List<String> report = new ArrayList<>();
        BenchContext header = new BenchContext(null, workDir, model, description, quick, report);
        header.line(String.format("Measured by `scripts/bench.sh%s` (`io.skelstream.it.bench.PipelineBenchmark`) on "
                + "%s. Model `%s` (T=%d at %.0f fps, M=%d, V=%d), CPU provider. Processes: a KRaft broker "
                + "(`ChildKafkaBroker`, -Xmx512m; a fresh one for each part below, so one part's leftovers, such as "
                + "changelog compaction after a backlog, never load the next), the app (`skelstream run` in a child "
                + "JVM, -Xmx1g, as operators run it: its own heap, GC and JIT, measured through its own `/metrics`), "
                + "and this driver JVM (the devices' producer and a downstream read_committed consumer), all on the "
                + "same machine.%s",
                quick ? " --quick" : "", Instant.now().truncatedTo(ChronoUnit.SECONDS), model.getFileName(),
                description.frames(), description.fps(), description.persons(), description.joints(),
                quick ? " **Quick run: short durations, numbers are indicative only.**" : ""));
        header.line("");
        if (only.contains("ingest")) {
            onFreshBroker("ingest", workDir, model, description, quick, report,
                    context -> new IngestBenchmark(context).run());
        }
        double[] saturated = {Double.NaN};
        if (only.contains("saturation") || only.contains("latency")) {
            onFreshBroker("saturation", workDir, model, description, quick, report, context -> {
                SaturationBenchmark saturation = new SaturationBenchmark(context);
                saturation.run();
                saturated[0] = saturation.pipelineWindowsPerSecond();
            });
        }
        if (only.contains("latency")) {
            onFreshBroker("latency", workDir, model, description, quick, report,
                    context -> new LatencyBenchmark(context).run(saturated[0]));
        }
        if (only.contains("scaling")) {
            onFreshBroker("scaling", workDir, model, description, quick, report,
                    context -> new ScalingBenchmark(context).run());
        }
        header.line(String.format("Pipeline benchmarks took %.1f min.", (System.nanoTime() - started) / 60e9));
        writeSection(out, "## Pipeline: broker + app, end to end\n\n" + String.join("\n", report));
        System.exit(0); // Kafka clients' daemon threads aside, nothing else should keep the JVM up
    }

    /** One benchmark part. */
    private interface Part {
        void run(BenchContext context) throws Exception;
    }

    /** Runs a part on a broker of its own, stopped (and its data left in the work folder) when the part ends. */
    private static void onFreshBroker(String part, Path workDir, Path model, ModelDescription description,
                                      boolean quick, List<String> report, Part body) throws Exception {
        try (ChildKafkaBroker broker = ChildKafkaBroker.start(workDir.resolve("broker-" + part))) {
            body.run(new BenchContext(broker, workDir, model, description, quick, report));
        }
    }

    /** Replaces the text between this benchmark's markers in {@code file}, or appends the section. */
    static void writeSection(Path file, String body) throws IOException {
        String text = Files.isRegularFile(file) ? Files.readString(file) : "# Benchmarks\n";
        String block = BEGIN + "\n" + body.strip() + "\n" + END;
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        String updated = begin >= 0 && end > begin
                ? text.substring(0, begin) + block + text.substring(end + END.length())
                : text.stripTrailing() + "\n\n" + block + "\n";
        Files.writeString(file, updated);
        System.out.println("wrote the pipeline section of " + file.toAbsolutePath());
    }
}
