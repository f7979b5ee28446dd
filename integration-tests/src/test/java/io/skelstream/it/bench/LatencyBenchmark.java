package io.skelstream.it.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Latency at half of saturation: enough real-time devices that their windows are about half of the saturated
 * pipeline's windows/s (measured just before by {@link SaturationBenchmark}), capture-to-event latencies of every
 * window's event.
 */
final class LatencyBenchmark {

    static final double TARGET_P99_MS = 150;
    /** A smaller consumer poll than the default 2000 records, measured beside the defaults (latency and ingest). */
    static final String SMALL_POLLS_KEY = "streams.consumer.max.poll.records";
    static final String SMALL_POLLS = "200";

    private final BenchContext context;

    LatencyBenchmark(BenchContext context) {
        this.context = context;
    }

    void run(double saturatedWindowsPerSecond) throws InterruptedException {
        double hop = context.defaultHopSeconds();
        int devices = Math.max(1, (int) Math.round(0.5 * saturatedWindowsPerSecond * hop));
        double seconds = context.quick ? 20 : 60;
        double otherSeconds = context.quick ? 15 : 40;
        // The first paced run on this part's fresh broker meets a cold broker and driver (JIT, first fetch sessions):
        // in earlier reports whichever setting ran first came out worst by far, whatever it was. A run at the same
        // load warms them up first; its numbers are reported, not compared.
        PacedRun.Result warmUp = PacedRun.run(context, "latency-warm-up", devices, otherSeconds, Map.of());
        PacedRun.Result r = PacedRun.run(context, "latency", devices, seconds, Map.of());
        // The same load as the app ran before (Streams' commit settings, events waiting for the commit interval,
        // the stream thread waiting for each batch, 100 ms reorder tolerance), and the defaults with that tolerance.
        Map<String, String> previous = new LinkedHashMap<>(SaturationBenchmark.PREVIOUS_DEFAULTS);
        previous.put("batch.inference.thread", "false");
        previous.put("window.reorder.tolerance.ms", "100");
        previous.put("window.end.snap.ms", "0");
        PacedRun.Result before = PacedRun.run(context, "latency-previous-defaults", devices, otherSeconds, previous);
        PacedRun.Result tolerance = PacedRun.run(context, "latency-tolerance-100", devices, otherSeconds,
                Map.of("window.reorder.tolerance.ms", "100"));
        PacedRun.Result locked = PacedRun.run(context, "latency-synchronized", devices, otherSeconds, Map.of(), true);
        // The other way to run the CPU encoder (on the stream thread that built the batch), measured here as the
        // evidence behind the batch.inference.thread default.
        PacedRun.Result thread = PacedRun.run(context, "latency-stream-thread-inference", devices, otherSeconds,
                Map.of("batch.inference.thread", "false"));
        // Windows on the exact grid: each waits for the frame after its nominal end (the evidence for the snap).
        PacedRun.Result grid = PacedRun.run(context, "latency-snap-0", devices, otherSeconds,
                Map.of("window.end.snap.ms", "0"));
        // Fewer records a poll: in side-by-side runs (LatencyVariants) it cut the tail; it may cost ingest, which
        // the ingest benchmark measures with the same setting.
        PacedRun.Result smallPolls = PacedRun.run(context, "latency-poll-200", devices, otherSeconds,
                Map.of(SMALL_POLLS_KEY, SMALL_POLLS));
        context.line("### Latency at half of saturation");
        context.line("");
        context.line(String.format("%d devices at %.0f fps for %.0f s (offered %.1f windows/s = %.0f %% of the %.1f "
                + "saturated windows/s; app defaults except every window an event: `events.min.confidence=0`, "
                + "`events.smoothing.windows=1`), the devices' starts spread over one hop (independent cameras: their windows "
                + "end spread over each hop). Latencies of windows ending after a %.1f s warm-up. The same load "
                + "then ran %.0f s with the previous defaults (%s), %.0f s with the defaults but a 100 ms reorder "
                + "tolerance, %.0f s with the defaults and every device starting at the same tick (phase-locked "
                + "cameras: every window of every device ends at the same instant, one burst of %d windows per hop), "
                + "%.0f s with the stream thread running each batch itself (`batch.inference.thread=false`), %.0f s with windows "
                + "on the exact grid (`window.end.snap.ms=0`) and %.0f s with "
                + "`streams.consumer.max.poll.records=" + SMALL_POLLS + "` (default 2000). The downstream consumer is tuned for latency as a live alerting client would be: `fetch.max.wait.ms=5`.",
                devices, PacedRun.FPS, seconds, r.windowsDuePerSecond(),
                100 * r.windowsDuePerSecond() / saturatedWindowsPerSecond, saturatedWindowsPerSecond,
                PacedRun.warmUpSeconds(context), otherSeconds, BenchContext.settingsText(previous), otherSeconds,
                otherSeconds, devices, otherSeconds, otherSeconds, otherSeconds));
        context.line("");
        context.line(String.format("Before them, %.0f s at the same load with the defaults warmed up the broker and this "
                + "driver (not compared: a cold broker's first minute, as after a restart): to the consumer p50 %.0f / "
                + "p95 %.0f / p99 %.0f ms.", otherSeconds, warmUp.visible().p50(), warmUp.visible().p95(),
                warmUp.visible().p99()));
        context.line("");
        context.line("| latency from the window's end (capture time of its newest instant) | p50 | p95 | p99 | max | events |");
        context.line("|---|---:|---:|---:|---:|---:|");
        row("defaults: to `emitted_at` (the app's stamp)", r.emitted());
        row("defaults: to receipt by a read_committed consumer (adds the EOS commit and fetch)", r.visible());
        row("previous defaults: to `emitted_at`", before.emitted());
        row("previous defaults: to receipt by the consumer", before.visible());
        row("defaults + `window.reorder.tolerance.ms=100`: to `emitted_at`", tolerance.emitted());
        row("defaults + `window.reorder.tolerance.ms=100`: to receipt by the consumer", tolerance.visible());
        row("defaults, devices phase-locked: to `emitted_at`", locked.emitted());
        row("defaults, devices phase-locked: to receipt by the consumer", locked.visible());
        row("`batch.inference.thread=false`: to `emitted_at`", thread.emitted());
        row("`batch.inference.thread=false`: to receipt by the consumer", thread.visible());
        row("`window.end.snap.ms=0`: to `emitted_at`", grid.emitted());
        row("`window.end.snap.ms=0`: to receipt by the consumer", grid.visible());
        row("`streams.consumer.max.poll.records=" + SMALL_POLLS + "`: to `emitted_at`", smallPolls.emitted());
        row("`streams.consumer.max.poll.records=" + SMALL_POLLS + "`: to receipt by the consumer", smallPolls.visible());
        context.line("");
        load("Defaults", r);
        load("Previous defaults", before);
        load("Defaults + 100 ms reorder tolerance", tolerance);
        load("Defaults, devices phase-locked", locked);
        load("`batch.inference.thread=false`", thread);
        load("`window.end.snap.ms=0`", grid);
        load("`streams.consumer.max.poll.records=" + SMALL_POLLS + "`", smallPolls);
        context.line("");
        context.line(String.format("What the hop adds: windows end every hop (%.0f ms of capture time at the default "
                + "8 model frames), so a movement is reported up to one hop after it ends, on top of the latencies "
                + "above (on average half a hop, %.0f ms). Included in the latencies above: the devices' producer "
                + "(linger 5 ms), the reorder tolerance (`window.reorder.tolerance.ms`, default 0: a window is due as soon "
                + "as the frame it ends on arrives; with `window.end.snap.ms` (default half a model frame) it ends on "
                + "the newest frame up to that far before its nominal end, else it waits for the first frame past it, "
                + "up to one frame interval, %.0f ms), the batch wait "
                + "(`batch.max.wait.ms`), the encoder run (of every window due with it: all of a phase-locked hop's "
                + "windows in one batch), and between `emitted_at` and a read_committed consumer the exactly-once "
                + "commit (requested as soon as events are forwarded: `events.commit.on.emit`) and the fetch. "
                + "`emitted_at` is the task's cached wall clock: with `batch.inference.thread=false` it is taken "
                + "before the encoder runs, so only the consumer's column compares across settings. Each run's line "
                + "above decomposes its latency with the app's `skelstream_window_stage_latency_seconds` histogram "
                + "(second half of the run; to within a bucket): window end to due (the frame completing the window "
                + "processed: the devices' producer, the broker, the fetch, the stream thread's queue), to batched "
                + "(the batch wait, and any encoder run or commit ahead of it on the stream thread), to forwarded (the "
                + "encoder run); from forwarded to the consumer's receipt: the exactly-once commit and the fetch.",
                hop * 1000, hop * 500, 1000 / PacedRun.FPS));
        double p99 = r.visible().p99();
        context.line("");
        context.line(String.format("p99 beyond the hop, as a consumer sees it: %.0f ms with the defaults (target < %.0f "
                + "ms: %s); %.0f ms with the previous defaults; %.0f ms with a 100 ms reorder tolerance; %.0f ms "
                + "with phase-locked devices; %.0f ms with the stream thread running each batch; %.0f ms on the exact "
                + "grid; %.0f ms with %s records a "
                + "poll (%s).", p99, TARGET_P99_MS,
                p99 < TARGET_P99_MS ? "met" : "NOT met", before.visible().p99(), tolerance.visible().p99(),
                locked.visible().p99(), thread.visible().p99(), grid.visible().p99(), smallPolls.visible().p99(), SMALL_POLLS,
                smallPolls.visible().p99() < TARGET_P99_MS ? "under the target" : "over the target"));
        context.line("");
    }

    /** Whether the run kept up with its load, and where the CPU went: a latency is only meaningful if it did. */
    private void load(String which, PacedRun.Result r) {
        context.line(String.format("- %s: frames sent %.0f/s, read %.0f/s, backlog at the end %.0f frames; windows "
                + "inferred %.1f/s of %.1f/s due; driver ticks late: %d. Inside the app: %s. CPU: %s.", which,
                r.framesPerSecondSent(), r.framesPerSecondIn(), r.lagFrames(), r.windowsPerSecond(),
                r.windowsDuePerSecond(), r.lateTicks(), r.stages(), r.cpu()));
    }

    private void row(String what, Percentiles p) {
        context.line(String.format("| %s | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %d |", what, p.p50(), p.p95(), p.p99(),
                p.max(), p.count()));
    }
}
