package io.skelstream.it.bench;

import java.util.Map;

/** Scaling: 10, 100 and 1000 real-time devices at 30 fps, one app instance each time. */
final class ScalingBenchmark {

    private final BenchContext context;

    ScalingBenchmark(BenchContext context) {
        this.context = context;
    }

    /** Over capacity, the rows run again with shedding on: windows older than this when their batch is built go. */
    private static final String SHED_AGE_MS = "1000";

    void run() throws InterruptedException {
        double seconds = context.quick ? 15 : 40;
        context.line("### Scaling with devices (30 fps each, real time)");
        context.line("");
        context.line(String.format("One app instance (defaults, every window an event) per row, %.0f s each; rates over "
                + "the second half. Sustained = reads >= 95 %% of frames sent, infers >= 90 %% of windows due, backlog "
                + "not growing. Latency: window end to receipt by a read_committed consumer. Rows marked *shed* run "
                + "with `batch.shed.age.ms=%s` (off by default): a due window already older than that when its batch "
                + "is built is counted and dropped instead of inferred; sustained there = reads keep up and every "
                + "window due is inferred or shed.", seconds, SHED_AGE_MS));
        context.line("");
        context.line("| devices | frames/s sent (acked) | frames/s read | backlog at end (frames) | backlog growth (frames/s) "
                + "| windows/s due | windows/s inferred | windows/s shed | latency p50 / p95 / p99 | sustained "
                + "| driver late ticks | CPU |");
        context.line("|---|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---|");
        for (int devices : new int[] {10, 100, 1000}) {
            row(String.valueOf(devices), PacedRun.run(context, "scale-" + devices, devices, seconds, Map.of()), false);
        }
        for (int devices : new int[] {100, 1000}) {
            row(devices + " *shed*", PacedRun.run(context, "scale-shed-" + devices, devices, seconds,
                    Map.of("batch.shed.age.ms", SHED_AGE_MS)), true);
        }
        context.line("");
    }

    private void row(String devices, PacedRun.Result r, boolean shedding) {
        Percentiles p = r.visible();
        context.line(String.format("| %s | %.0f | %.0f | %.0f | %.0f | %.1f | %.1f | %.1f | %s | %s | %d | %s |", devices,
                r.framesPerSecondSent(), r.framesPerSecondIn(), r.lagFrames(), r.lagGrowthPerSecond(),
                r.windowsDuePerSecond(), r.windowsPerSecond(), r.windowsShedPerSecond(),
                p.count() == 0 ? "no events" : String.format("%.0f / %.0f / %.0f ms (%d)", p.p50(), p.p95(), p.p99(),
                        p.count()),
                (shedding ? r.sustainedByShedding() : r.sustained()) ? "yes" : "no", r.lateTicks(), r.cpu()));
    }
}
