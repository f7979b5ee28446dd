package io.skelstream.streams.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.admin.Admin;

import io.skelstream.streams.app.StartupChecks;
import io.skelstream.streams.config.SkelStreamConfig;
import io.skelstream.streams.replay.DatasetLoader;
import io.skelstream.streams.replay.GroundTruthTimeline;
import io.skelstream.streams.replay.KafkaFrameSink;
import io.skelstream.streams.replay.PoseReplayer;
import io.skelstream.streams.replay.PoseSequence;
import io.skelstream.streams.replay.ProgressBar;
import io.skelstream.streams.replay.ReplayClock;
import io.skelstream.streams.replay.ReplayOptions;
import io.skelstream.streams.replay.ReplayStatistics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code skelstream replay [FILE]}: a dataset published as live device feeds. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Publish a dataset (JSON Lines, .jsonl or .jsonl.gz) to the poses topic as live feeds of"
                + " simulated devices: wall-clock capture times, per-device sequence numbers, key = device id.")
final class ReplayCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions config;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
            description = "Dataset file; default: the synthetic test set bundled in the jar.")
    Path input;

    @Option(names = "--devices", defaultValue = "4", description = "Simulated devices (default ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--device-prefix", defaultValue = "device", description = "Device ids are PREFIX-01, ...")
    String devicePrefix;

    @Option(names = "--fps", description = "Frames per second per device (resampled); default: each sequence's own.")
    Double fps;

    @Option(names = "--speed", defaultValue = "1", description = "Playback speed factor (default ${DEFAULT-VALUE}).")
    double speed;

    @Option(names = "--jitter-ms", defaultValue = "0",
            description = "Random capture-time jitter, +/- milliseconds (default ${DEFAULT-VALUE}).")
    double jitterMs;

    @Option(names = "--drop-rate", defaultValue = "0",
            description = "Fraction of frames not sent, in [0, 1) (default ${DEFAULT-VALUE}).")
    double dropRate;

    @Option(names = "--loop", description = "Start over after the last sequence (until --duration or Ctrl-C).")
    boolean loop;

    @Option(names = "--duration", converter = DurationConverter.class, description = "Stop after this long, e.g. 5m.")
    Duration duration;

    @Option(names = "--continuous-tracks",
            description = "Person slot m is track m+1 throughout (the same people doing one action after another);"
                    + " default: new track ids for every sequence (each is a different recording).")
    boolean continuousTracks;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of jitter and drops (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @Option(names = "--timeout", defaultValue = "15s", converter = DurationConverter.class,
            description = "How long to wait for the broker at start (default ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ReplayOptions options = new ReplayOptions(devices, devicePrefix, Optional.ofNullable(fps), speed, jitterMs,
                dropRate, loop, Optional.ofNullable(duration), seed, continuousTracks);
        SkelStreamConfig settings = config.load(Map.of());
        List<PoseSequence> dataset = new DatasetLoader().load(Optional.ofNullable(input));
        Map<String, String> client = settings.kafkaClientProperties();
        try (Admin admin = StartupChecks.connectAdmin(client, connectTimeout)) {
            StartupChecks.requireTopics(admin, List.of(settings.posesTopic()), client.get("bootstrap.servers"),
                    connectTimeout);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("replaying %d sequences from %s on %d devices to %s%n", dataset.size(),
                input == null ? "the bundled synthetic test set" : input, devices, settings.posesTopic());
        out.flush();
        PrintStream progressOut = System.err;
        ProgressBar bar = new ProgressBar(progressOut);
        PoseReplayer replayer = new PoseReplayer(dataset, options, ReplayClock.system(), new GroundTruthTimeline());
        Thread worker = Thread.currentThread();
        ReplayStatistics done;
        try (GracefulStop stop = new GracefulStop(worker::interrupt, Duration.ofSeconds(10));
             KafkaFrameSink sink = new KafkaFrameSink(client, settings.posesTopic())) {
            done = replayer.run(sink, noProgress ? statistics -> { } : bar);
            if (Thread.interrupted()) {
                out.println();
                out.println("stopped");
            }
        }
        if (!noProgress) {
            bar.finish();
        }
        out.printf("published %d frames (%d dropped) of %d sequences in %.1f s%n", done.framesPublished(),
                done.framesDropped(), done.sequencesStarted(), done.elapsedMicros() / 1e6);
        out.flush();
        return 0;
    }
}
