package io.skelstream.it.bench;

import java.util.Map;

/** Scaling: 10, 100 and 1000 real-time devices at 30 fps, one app instance each time. */
final class ScalingBenchmark {

    private final BenchContext context;

    ScalingBenchmark(BenchContext context) {
        this.context = context;
    }

    void run() throws InterruptedException {
        double seconds = context.quick ? 15 : 40;
        context.line("### Scaling with devices (30 fps each, real time)");
        context.line("");
        context.line(String.format("One app instance (defaults, every window an event) per row, %.0f s each; rates over "
                + "the second half. Sustained = reads >= 95 %% of frames sent, infers >= 90 %% of windows due, backlog "
                + "not growing. Latency: window end to receipt by a read_committed consumer.", seconds));
        context.line("");
        context.line("| devices | frames/s sent (acked) | frames/s read | backlog at end (frames) | backlog growth (frames/s) "
                + "| windows/s due | windows/s inferred | latency p50 / p95 / p99 | sustained | driver late ticks | CPU |");
        context.line("|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---|");
        for (int devices : new int[] {10, 100, 1000}) {
            PacedRun.Result r = PacedRun.run(context, "scale-" + devices, devices, seconds, Map.of());
            Percentiles p = r.visible();
            context.line(String.format("| %d | %.0f | %.0f | %.0f | %.0f | %.1f | %.1f | %s | %s | %d | %s |", devices,
                    r.framesPerSecondSent(), r.framesPerSecondIn(), r.lagFrames(), r.lagGrowthPerSecond(),
                    r.windowsDuePerSecond(), r.windowsPerSecond(),
                    p.count() == 0 ? "no events" : String.format("%.0f / %.0f / %.0f ms (%d)", p.p50(), p.p95(), p.p99(),
                            p.count()),
                    r.sustained() ? "yes" : "no", r.lateTicks(), r.cpu()));
        }
        context.line("");
    }
}
