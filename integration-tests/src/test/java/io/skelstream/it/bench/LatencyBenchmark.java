package io.skelstream.it.bench;

import java.util.Map;

/**
 * Latency at half of saturation: enough real-time devices that their windows are about half of the saturated
 * pipeline's windows/s (measured just before by {@link SaturationBenchmark}), capture-to-event latencies of every
 * window's event.
 */
final class LatencyBenchmark {

    static final double TARGET_P99_MS = 150;

    private final BenchContext context;

    LatencyBenchmark(BenchContext context) {
        this.context = context;
    }

    void run(double saturatedWindowsPerSecond) throws InterruptedException {
        double hop = context.defaultHopSeconds();
        int devices = Math.max(1, (int) Math.round(0.5 * saturatedWindowsPerSecond * hop));
        double seconds = context.quick ? 20 : 60;
        PacedRun.Result r = PacedRun.run(context, "latency", devices, seconds, Map.of());
        // The same load without the reorder tolerance: what the app's own path costs beyond waiting for late frames.
        PacedRun.Result noTolerance = PacedRun.run(context, "latency-no-tolerance", devices, context.quick ? 15 : 40,
                Map.of("window.reorder.tolerance.ms", "0"));
        context.line("### Latency at half of saturation");
        context.line("");
        context.line(String.format("%d devices at %.0f fps for %.0f s (offered %.1f windows/s = %.0f %% of the %.1f "
                + "saturated windows/s; app defaults except every window an event: `events.min.confidence=0`, "
                + "`events.smoothing.windows=1`). Latencies of windows ending after a %.1f s warm-up.",
                devices, PacedRun.FPS, seconds, r.windowsDuePerSecond(),
                100 * r.windowsDuePerSecond() / saturatedWindowsPerSecond, saturatedWindowsPerSecond,
                context.windowSeconds() + 3));
        context.line("");
        context.line("| latency from the window's end (capture time of its newest instant) | p50 | p95 | p99 | max | events |");
        context.line("|---|---:|---:|---:|---:|---:|");
        row("to `emitted_at` (the app's stamp)", r.emitted());
        row("to receipt by a read_committed consumer (adds the EOS commit and fetch)", r.visible());
        row("same load, `window.reorder.tolerance.ms=0`: to `emitted_at`", noTolerance.emitted());
        row("same load, `window.reorder.tolerance.ms=0`: to receipt by the consumer", noTolerance.visible());
        context.line("");
        load("Defaults", r);
        load("Without the reorder tolerance", noTolerance);
        context.line("");
        context.line(String.format("What the hop adds: windows end every hop (%.0f ms of capture time at the default "
                + "8 model frames), so a movement is reported up to one hop after it ends, on top of the latencies "
                + "above (on average half a hop, %.0f ms). Included in the latencies above: the reorder tolerance "
                + "(`window.reorder.tolerance.ms`, default 100 ms): a window is due only once a frame at least that "
                + "far past its end has arrived. Between `emitted_at` and a read_committed consumer: the exactly-once commit "
                + "(`commit.interval.ms`, 100 ms under exactly-once), since an event is visible only once its "
                + "transaction commits.", hop * 1000, hop * 500));
        double p99 = r.visible().p99();
        context.line("");
        context.line(String.format("p99 beyond the hop, as a consumer sees it: %.0f ms with the defaults (target < %.0f "
                + "ms: %s); %.0f ms without the reorder tolerance (%s).", p99, TARGET_P99_MS,
                p99 < TARGET_P99_MS ? "met" : "NOT met", noTolerance.visible().p99(),
                noTolerance.visible().p99() < TARGET_P99_MS ? "met" : "NOT met"));
        context.line("");
    }

    /** Whether the run kept up with its load, and where the CPU went: a latency is only meaningful if it did. */
    private void load(String which, PacedRun.Result r) {
        context.line(String.format("- %s: frames sent %.0f/s, read %.0f/s, backlog at the end %.0f frames; windows "
                + "inferred %.1f/s of %.1f/s due; driver ticks late: %d. CPU: %s.", which, r.framesPerSecondSent(),
                r.framesPerSecondIn(), r.lagFrames(), r.windowsPerSecond(), r.windowsDuePerSecond(), r.lateTicks(),
                r.cpu()));
    }

    private void row(String what, Percentiles p) {
        context.line(String.format("| %s | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %d |", what, p.p50(), p.p95(), p.p99(),
                p.max(), p.count()));
    }
}
