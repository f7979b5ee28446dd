package io.skelstream.it.bench;

import io.skelstream.it.harness.SkelStreamProcess;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One real-time run: {@code devices} devices at 30 fps into a fresh app for {@code seconds}, with every window
 * turned into an action event ({@code events.min.confidence=0}, {@code events.smoothing.windows=1}) so each
 * window's latency is seen. Latencies count windows ending after a warm-up (one window span plus 3 s).
 */
final class PacedRun {

    static final double FPS = 30;

    /**
     * @param framesPerSecondSent  frames/s the devices sent and the broker acknowledged (offered load)
     * @param framesPerSecondIn    frames/s the app read over the same interval
     * @param lagFrames            frames sent but not yet read by the app when the devices stopped
     * @param lagGrowthPerSecond   how fast that backlog grew over the second half of the run (frames/s; ~0 = keeping up)
     * @param windowsDuePerSecond  windows/s the devices' frames make due (devices / hop)
     * @param windowsPerSecond     windows/s the app inferred over the second half of the run
     * @param lateTicks            30 fps ticks the driver could not send on time (offered load below nominal)
     * @param stages               where windows' latency went inside the app over the second half ({@link StageLatencies})
     */
    record Result(int devices, double framesPerSecondSent, double framesPerSecondIn, double lagFrames,
                  double lagGrowthPerSecond, double windowsDuePerSecond, double windowsPerSecond,
                  double windowsShedPerSecond, long lateTicks, Percentiles emitted, Percentiles visible, String cpu,
                  String stages) {

        /** Keeps up with the frames and infers (nearly) every window due. */
        boolean sustained() {
            return keepsUpWithFrames() && windowsPerSecond >= 0.9 * windowsDuePerSecond;
        }

        /** Keeps up with the frames, and every window due is inferred or shed (counted): nothing piles up. */
        boolean sustainedByShedding() {
            return keepsUpWithFrames() && windowsPerSecond + windowsShedPerSecond >= 0.9 * windowsDuePerSecond;
        }

        private boolean keepsUpWithFrames() {
            return framesPerSecondIn >= 0.95 * framesPerSecondSent && lagGrowthPerSecond < 0.05 * framesPerSecondSent;
        }
    }

    private PacedRun() {
    }

    /**
     * Latencies count windows ending this long after the start: the first window plus time for the app's JIT to
     * settle (C2 compiles for the first ten seconds or so and takes a core from the encoder meanwhile), so the
     * percentiles describe the steady state, not the start-up.
     */
    static double warmUpSeconds(BenchContext context) {
        return context.windowSeconds() + (context.quick ? 3 : 13);
    }

    /** A run whose devices start spread over one hop (see {@link PacedFleet}). */
    static Result run(BenchContext context, String name, int devices, double seconds, Map<String, String> extra)
            throws InterruptedException {
        return run(context, name, devices, seconds, extra, false);
    }

    /** @param synchronizedStart every device starts at the same tick: all windows end at the same instants */
    static Result run(BenchContext context, String name, int devices, double seconds, Map<String, String> extra,
                      boolean synchronizedStart) throws InterruptedException {
        int hopTicks = (int) Math.round(context.defaultHopSeconds() * FPS);
        Map<String, String> topics = context.topics(name);
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("events.min.confidence", "0");
        overrides.put("events.smoothing.windows", "1");
        overrides.putAll(extra);
        try (SkelStreamProcess app = context.startApp(name, topics, overrides)) {
            long startMicros = System.currentTimeMillis() * 1000;
            long warmUpMicros = Math.round(warmUpSeconds(context) * 1e6);
            try (ActionEventLatencies latencies = new ActionEventLatencies(context.broker.bootstrapServers(),
                    topics.get("topic.actions"), startMicros + warmUpMicros);
                 PacedFleet fleet = new PacedFleet(context.broker.bootstrapServers(), topics.get("topic.poses"),
                         new SyntheticDevices(name), devices, FPS, synchronizedStart ? 0 : hopTicks).start()) {
                long halfway = System.nanoTime() + Math.round(seconds / 2 * 1e9);
                long end = System.nanoTime() + Math.round(seconds * 1e9);
                Thread.sleep(Math.round(seconds / 2 * 1e3));
                MetricsSample middle = MetricsSample.read(app);
                String middlePage = app.get("/metrics");
                long sentMiddle = fleet.framesSent();
                CpuAccounting accounting = CpuAccounting.start(app.jvm().pid(), name);
                StreamThreadProfile profile = new StreamThreadProfile(app.jvm().pid(), app.jvm().log());
                FrameProducer.awaitNanos(Math.max(halfway, end));
                MetricsSample last = MetricsSample.read(app);
                String lastPage = app.get("/metrics");
                long sentLast = fleet.framesSent();
                String cpu = accounting.summary();
                profile.close();
                cpu += "; stream thread: " + profile.summary();
                long lateTicks = fleet.lateTicks();
                fleet.close();
                // Let events of windows already due arrive (commit interval, batch wait), then read the latencies.
                Thread.sleep(2_000);
                double half = last.secondsSince(middle);
                double lagMiddle = sentMiddle - middle.framesIn();
                double lagLast = sentLast - last.framesIn();
                Result result = new Result(devices,
                        (sentLast - sentMiddle) / half,
                        SteadyRate.between(middle, last, MetricsSample::framesIn),
                        lagLast, (lagLast - lagMiddle) / half,
                        devices / context.defaultHopSeconds(),
                        SteadyRate.between(middle, last, MetricsSample::windows),
                        SteadyRate.between(middle, last, MetricsSample::windowsShed),
                        lateTicks, latencies.emitted(), latencies.visible(), cpu,
                        StageLatencies.summary(middlePage, lastPage, half));
                app.stop();
                return result;
            }
        }
    }
}
