package io.skelstream.it.bench;

import io.skelstream.it.harness.SkelStreamProcess;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Inference saturation: a backlog of frames whose windows (default hop) far exceed what the encoder can infer is
 * produced first; the app (defaults: EOS v2, batch.max.size 64, intra-op threads = all cores) then works through it
 * and {@code skelstream_windows_inferred_total} gives the pipeline's windows/s. The backlog's first part is a warm-up
 * (JIT, ONNX Runtime's arena, assignment): only windows past it count, from 10 % to 90 % of the rest. The app's mean
 * batch size over the run is then given to {@link RawEncoderRate} in this JVM once the app has stopped: the encoder
 * alone on full batches of that size, same intra-op threads, nothing else running. Ratio = pipeline / raw.
 */
final class SaturationBenchmark {

    static final double TARGET_RATIO = 0.8;
    private static final double FPS = 30;

    private final BenchContext context;
    private double pipelineWindowsPerSecond = Double.NaN;
    /** The share of the backlog's capture time that is warm-up. */
    private double warmShare;

    SaturationBenchmark(BenchContext context) {
        this.context = context;
    }

    /** The pipeline's saturated windows/s, once {@link #run()} measured it. */
    double pipelineWindowsPerSecond() {
        return pipelineWindowsPerSecond;
    }

    void run() throws InterruptedException {
        int devices = context.quick ? 32 : 64;
        double seconds = context.quick ? 8 : 14;
        // Saturation is a steady-state rate: the JIT's C2 compiler still takes a share of a core from the encoder
        // 10 s into the backlog (0.3 cores in the measured part with a 10 s warm-up), so the warm-up is long.
        double warmUpSeconds = context.quick ? 4 : 24;
        Map<String, String> topics = context.topics("saturation");
        int frames = produce(topics.get("topic.poses"), devices, warmUpSeconds + seconds);
        // A track's first window ends one window span after its first frame, then one every hop.
        double span = context.windowSeconds();
        warmShare = Math.max(0, warmUpSeconds - span) / (warmUpSeconds + seconds - span);
        Measured run = measure("saturation", topics, frames, Map.of());
        pipelineWindowsPerSecond = run.windowsPerSecond();
        double total = run.windows();
        double meanBatch = run.meanBatch();
        String cpu = run.cpu();
        MetricsSample last = run.last();
        int rawBatch = Math.max(1, (int) Math.round(meanBatch));
        double raw = RawEncoderRate.windowsPerSecond(context.model, rawBatch, context.quick ? 4 : 8);
        double ratio = pipelineWindowsPerSecond / raw;

        context.line("### Inference saturation");
        context.line("");
        context.line(String.format("%d devices x %.0f s of frames at %.0f fps (%,d frames) pre-produced; the app "
                + "(defaults: hop %d model frames = %.3f s, `batch.max.size=64`, intra-op threads = all cores, "
                + "EOS v2, `batch.inference.thread=true`: the encoder on a thread of its own, the stream thread processing "
                + "frames meanwhile) inferred %,.0f windows in %d encoder runs (mean batch %.1f). "
                + "The first %.0f s of frames (%.0f %% of the windows) warm the app up (JIT, ONNX Runtime's arena) and "
                + "do not count: saturation is the steady state, and C2 compiles for well over 10 s of load. The rate "
                + "is over 10-90 %% of the windows after them, from the app's /metrics read once a second.",
                devices, warmUpSeconds + seconds, FPS, frames, 8, context.defaultHopSeconds(), total,
                (long) last.batchCount(), meanBatch, warmUpSeconds, 100 * warmShare));
        context.line("");
        context.line("| measure | windows/s |");
        context.line("|---|---:|");
        context.line(String.format("| pipeline (poses topic to action events, after the warm-up) | %.1f |",
                pipelineWindowsPerSecond));
        context.line(String.format("| encoder alone, same model, batch %d, same intra-op threads, after the app stopped "
                + "| %.1f |", rawBatch, raw));
        context.line("");
        context.line(String.format("Ratio pipeline / encoder: %.2f (target >= %.1f: %s). CPU during the pipeline run: %s.",
                ratio, TARGET_RATIO, ratio >= TARGET_RATIO ? "met" : "NOT met", cpu));
        context.line("");
        // The other way to run the encoder, and the settings of before, measured in this run, not taken from
        // another: the evidence behind the batch.inference.thread and commit defaults.
        variant("Same backlog with the stream thread running each batch itself (`batch.inference.thread=false`)",
                "saturation-stream-thread-inference", topics, frames, Map.of("batch.inference.thread", "false"),
                rawBatch, raw);
        Map<String, String> synchronous = new LinkedHashMap<>(PREVIOUS_DEFAULTS);
        synchronous.put("batch.inference.thread", "false");
        variant("Same backlog with the previous commit settings (" + BenchContext.settingsText(PREVIOUS_DEFAULTS)
                + "), the stream thread running each batch", "saturation-synchronous", topics, frames, synchronous,
                rawBatch, raw);
        if (!context.quick) {
            variant("Same backlog with `streams.num.stream.threads=2`", "saturation-2-threads", topics, frames,
                    Map.of("streams.num.stream.threads", "2"), rawBatch, raw);
        }
    }

    /**
     * The Kafka client settings and the commit behaviour the app had before {@code events.commit.on.emit} and its
     * client defaults: Kafka Streams' own defaults under exactly-once (commit 100 ms, producer linger 100 ms and
     * 16 KiB batches, 1000 records a poll).
     */
    static final Map<String, String> PREVIOUS_DEFAULTS = previousDefaults();

    private static Map<String, String> previousDefaults() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("streams.commit.interval.ms", "100");
        settings.put("streams.producer.linger.ms", "100");
        settings.put("streams.producer.batch.size", "16384");
        settings.put("streams.consumer.max.poll.records", "1000");
        settings.put("events.commit.on.emit", "false");
        return settings;
    }

    private void variant(String what, String applicationId, Map<String, String> topics, int frames,
                         Map<String, String> overrides, int rawBatch, double raw) throws InterruptedException {
        Measured other = measure(applicationId, topics, frames, overrides);
        int batch = Math.max(1, (int) Math.round(other.meanBatch()));
        double otherRaw = batch == rawBatch ? raw
                : RawEncoderRate.windowsPerSecond(context.model, batch, context.quick ? 4 : 8);
        context.line(String.format("%s: %.1f windows/s (mean batch %.1f), %.2f of the encoder alone at batch %d "
                + "(%.1f windows/s). CPU: %s.", what, other.windowsPerSecond(), other.meanBatch(),
                other.windowsPerSecond() / otherRaw, batch, otherRaw, other.cpu()));
        context.line("");
    }

    /** The outcome of one app working through the backlog. */
    private record Measured(double windowsPerSecond, double windows, double meanBatch, MetricsSample last, String cpu) {
    }

    private Measured measure(String applicationId, Map<String, String> topics, int frames, Map<String, String> overrides)
            throws InterruptedException {
        List<MetricsSample> samples = new ArrayList<>();
        String cpu;
        try (SkelStreamProcess app = context.startApp(applicationId, topics, overrides)) {
            samples.add(MetricsSample.read(app));
            CpuAccounting accounting = CpuAccounting.start(app.jvm().pid(), applicationId);
            StreamThreadProfile profile = new StreamThreadProfile(app.jvm().pid(), app.jvm().log());
            long deadline = System.nanoTime() + 400_000_000_000L;
            long stableSince = System.nanoTime();
            double lastWindows = -1;
            while (System.nanoTime() < deadline) {
                // Once a second, as a fast Prometheus scrape would: each read of /metrics costs the app CPU
                // (Kafka Streams' own metrics), which 4 reads a second took from the encoder.
                Thread.sleep(1000);
                MetricsSample sample = MetricsSample.read(app);
                samples.add(sample);
                if (sample.windows() != lastWindows) {
                    lastWindows = sample.windows();
                    stableSince = System.nanoTime();
                } else if (sample.framesIn() >= frames && sample.windows() > 0
                        && System.nanoTime() - stableSince > 3_000_000_000L) {
                    break;
                }
            }
            cpu = accounting.summary();
            profile.close();
            cpu += "; stream thread: " + profile.summary();
            app.stop();
        }
        MetricsSample last = samples.get(samples.size() - 1);
        double total = last.windows();
        double warm = warmShare * total;
        double rate = SteadyRate.betweenLevels(samples, MetricsSample::windows, warm + 0.1 * (total - warm),
                warm + 0.9 * (total - warm));
        double meanBatch = last.batchCount() == 0 ? 0 : last.batchSizeSum() / last.batchCount();
        return new Measured(rate, total, meanBatch, last, cpu);
    }

    private int produce(String topic, int devices, double seconds) {
        SyntheticDevices fleet = new SyntheticDevices("sat");
        int ticks = (int) Math.round(seconds * FPS);
        long startMicros = System.currentTimeMillis() * 1000 - Math.round(seconds * 1e6) - 2_000_000;
        try (FrameProducer producer = new FrameProducer(context.broker.bootstrapServers(), 20)) {
            for (int tick = 0; tick < ticks; tick++) {
                long captureMicros = startMicros + Math.round(tick / FPS * 1e6);
                for (int d = 0; d < devices; d++) {
                    String id = fleet.deviceId(d);
                    producer.send(topic, id.getBytes(StandardCharsets.UTF_8), fleet.frame(id, captureMicros, tick));
                }
            }
            producer.flush();
        }
        return ticks * devices;
    }
}
