package io.skelstream.streams.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;

import io.skelstream.encoder.ModelDescription;
import io.skelstream.streams.app.BundledResources;
import io.skelstream.streams.app.ProcessingTopology;
import io.skelstream.streams.app.SkelStreamApplication;
import io.skelstream.streams.app.StartupChecks;
import io.skelstream.streams.app.StartupException;
import io.skelstream.streams.broker.EmbeddedKafkaBroker;
import io.skelstream.streams.broker.TopicProvisioner;
import io.skelstream.streams.config.SkelStreamConfig;
import io.skelstream.streams.http.OperationsHttpServer;
import io.skelstream.streams.live.LivePage;
import io.skelstream.streams.replay.DatasetLoader;
import io.skelstream.streams.replay.GroundTruthTimeline;
import io.skelstream.streams.replay.KafkaFrameSink;
import io.skelstream.streams.replay.PoseReplayer;
import io.skelstream.streams.replay.PoseSequence;
import io.skelstream.streams.replay.ReplayClock;
import io.skelstream.streams.replay.ReplayOptions;

/**
 * {@code skelstream demo} end to end, with nothing installed: an in-JVM Kafka broker, the topics, the processor with
 * the bundled model and default alert rules, simulated devices replaying the bundled synthetic test set, and a live
 * console view that compares what the processor recognises with what each device is really playing.
 */
public final class DemoSession {

    /** Partitions of each demo topic: enough for a few stream threads, cheap on one node. */
    static final int PARTITIONS = 4;
    /** Extra time after a sequence ends before it is judged: the pipeline's latency (hop, smoothing, commit). */
    static final Duration JUDGING_GRACE = Duration.ofSeconds(3);

    private final DemoOptions options;
    private final PrintStream screen;
    private final CountDownLatch stopRequested = new CountDownLatch(1);

    public DemoSession(DemoOptions options, PrintStream screen) {
        this.options = options;
        this.screen = screen;
    }

    /** Asks a running demo to stop (Ctrl-C); {@link #run()} then shuts everything down and returns. */
    public void stop() {
        stopRequested.countDown();
    }

    /**
     * Runs until the duration passes or {@link #stop()}.
     *
     * @return the final scoreboard
     */
    public DemoScoreboard.Snapshot run() throws InterruptedException, IOException {
        Path workDir = Files.createTempDirectory("skelstream-demo-");
        List<PoseSequence> dataset = new DatasetLoader().load(options.dataset());
        screen.println("Starting an embedded Kafka broker ...");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            SkelStreamConfig config = demoConfig(broker.bootstrapServers(), workDir);
            Duration timeout = Duration.ofSeconds(30);
            try (Admin admin = StartupChecks.connectAdmin(config.kafkaClientProperties(), timeout)) {
                new TopicProvisioner(admin, timeout).createAll(TopicProvisioner.topicsOf(config, PARTITIONS, (short) 1));
            }
            screen.println("Kafka at " + broker.bootstrapServers() + "; loading the model and starting the"
                    + " processor ...");
            try (SkelStreamApplication application = SkelStreamApplication.start(config, ProcessingTopology.factory())) {
                if (!application.awaitReady(Duration.ofSeconds(60))) {
                    throw new StartupException("the processor did not become ready within 60 s: "
                            + application.readiness().reason());
                }
                return play(config, application, dataset, broker.bootstrapServers());
            }
        } finally {
            deleteQuietly(workDir);
        }
    }

    private DemoScoreboard.Snapshot play(SkelStreamConfig config, SkelStreamApplication application,
                                         List<PoseSequence> dataset, String bootstrap) throws InterruptedException {
        ModelDescription model = application.encoder().description();
        GroundTruthTimeline truth = new GroundTruthTimeline();
        long grace = JUDGING_GRACE.toNanos() / 1000 + Math.round(model.windowSeconds() * 1e6);
        DemoScoreboard scoreboard = new DemoScoreboard(truth, grace);
        ReplayOptions replay = new ReplayOptions(options.devices(), "device", Optional.empty(), options.speed(), 0, 0,
                true, options.duration(), System.nanoTime(), options.continuousTracks());
        List<String> deviceIds = new ArrayList<>();
        for (int i = 0; i < options.devices(); i++) {
            deviceIds.add(replay.deviceId(i));
        }
        List<String> header = List.of(
                "SkelStream demo: " + options.devices() + " simulated devices replaying " + dataset.size()
                        + (options.dataset().isPresent() ? " sequences of " + options.dataset().get()
                        : " held-out synthetic sequences") + (options.speed() != 1 ? " at " + options.speed() + "x" : ""),
                String.format(Locale.ROOT, "model %s (%s, %d frames at %.0f fps, %d labels) on %s   Kafka %s",
                        model.name(), model.layout(), model.frames(), model.fps(), model.labelCount(),
                        application.encoder().provider(), bootstrap),
                liveLine(application) + "metrics " + application.http().url(OperationsHttpServer.METRICS_PATH) + "   ready "
                        + application.http().url(OperationsHttpServer.READY_PATH) + "   Ctrl-C to stop");

        OutputFollower follower = new OutputFollower(config.kafkaClientProperties(), config.actionsTopic(),
                config.alertsTopic(), scoreboard);
        Thread followerThread = new Thread(follower, "skelstream-demo-view");
        KafkaFrameSink sink = new KafkaFrameSink(config.kafkaClientProperties(), config.posesTopic());
        PoseReplayer replayer = new PoseReplayer(dataset, replay, ReplayClock.system(), truth);
        CountDownLatch replayDone = new CountDownLatch(1);
        Thread replayThread = new Thread(() -> {
            try {
                replayer.run(sink, statistics -> { });
            } catch (RuntimeException e) {
                // Kafka's InterruptException when stopped mid-send is the normal way out; anything else is shown.
                if (stopRequested.getCount() > 0 && !Thread.currentThread().isInterrupted()) {
                    screen.println("replay failed: " + e);
                }
            } finally {
                replayDone.countDown();
            }
        }, "skelstream-demo-replay");
        followerThread.start();
        replayThread.start();

        LiveConsoleView view = new LiveConsoleView(options.ansi());
        DemoScoreboard.Snapshot last;
        try {
            while (true) {
                long now = ReplayClock.system().nowMicros();
                last = scoreboard.snapshot(now, deviceIds);
                screen.print(view.render(header, last, now));
                screen.flush();
                if (stopRequested.await(options.refresh().toMillis(), TimeUnit.MILLISECONDS)
                        || replayDone.getCount() == 0) {
                    break;
                }
            }
        } finally {
            replayThread.interrupt();
            replayThread.join(10_000);
            sink.close();
            follower.stop();
            followerThread.join(5_000);
            follower.close();
            screen.print(view.finish());
        }
        last = scoreboard.snapshot(ReplayClock.system().nowMicros(), deviceIds);
        long missed = last.devices().stream().mapToLong(DemoScoreboard.DeviceRow::sequencesMissed).sum();
        screen.printf(Locale.ROOT, "%nStopping. %d events, %d alerts; accuracy: windows %s, sequences %s"
                        + " (%d of them without any event)%n", last.events(), last.alerts(),
                percent(last.windowsCorrect(), last.windowsJudged()),
                percent(last.sequencesCorrect(), last.sequencesJudged()), missed);
        screen.flush();
        return last;
    }

    /** "live view URL   " when the live view runs (open it in a browser), else nothing. [live view] */
    private static String liveLine(SkelStreamApplication application) {
        return application.live() == null ? "" : "live view " + application.http().url(LivePage.PATH) + "   ";
    }

    /** The processor's settings for the demo: embedded broker, bundled model and rules, one stream thread. */
    SkelStreamConfig demoConfig(String bootstrap, Path workDir) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(SkelStreamConfig.KAFKA_PREFIX + "bootstrap.servers", bootstrap);
        settings.put(SkelStreamConfig.STREAMS_PREFIX + "application.id", "skelstream-demo");
        settings.put(SkelStreamConfig.STREAMS_PREFIX + "state.dir", workDir.resolve("state").toString());
        settings.put(SkelStreamConfig.STREAMS_PREFIX + "num.stream.threads", "1");
        settings.put(SkelStreamConfig.HTTP_PORT, String.valueOf(options.httpPort()));
        settings.put(SkelStreamConfig.ALERT_RULES_FILE, extractDefaultAlertRules(workDir).toString());
        settings.putAll(options.settings());
        return SkelStreamConfig.of(settings);
    }

    private static Path extractDefaultAlertRules(Path workDir) throws IOException {
        Path target = workDir.resolve("alert-rules.json");
        try (InputStream in = BundledResources.open(BundledResources.DEFAULT_ALERT_RULES).orElseThrow(() ->
                new StartupException("this build has no default alert rules (classpath:"
                        + BundledResources.DEFAULT_ALERT_RULES + ")"))) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    private static String percent(long correct, long judged) {
        return judged == 0 ? "n/a" : String.format(Locale.ROOT, "%d/%d (%.0f%%)", correct, judged, 100.0 * correct / judged);
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind is harmless
        }
    }
}
