package io.skelstream.streams.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import io.skelstream.streams.demo.DemoOptions;
import io.skelstream.streams.demo.DemoSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code skelstream demo}: everything in one JVM, nothing to set up. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start an embedded Kafka broker, the processor with the bundled model, and simulated devices"
                + " replaying the bundled synthetic test set; show what is recognised live next to the truth.")
final class DemoCommand implements Callable<Integer> {

    /** slf4j-simple's property naming where logs go; read once, when the first logger is made. */
    static final String LOG_FILE_PROPERTY = "org.slf4j.simpleLogger.logFile";

    @Option(names = "--devices", defaultValue = "4", description = "Simulated devices (default ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--speed", defaultValue = "1", description = "Playback speed factor (default ${DEFAULT-VALUE}).")
    double speed;

    @Option(names = "--duration", converter = DurationConverter.class,
            description = "Stop after this long, e.g. 2m (default: until Ctrl-C).")
    Duration duration;

    @Option(names = "--http-port", defaultValue = "8080",
            description = "Port of /metrics, /healthz, /readyz (default ${DEFAULT-VALUE}; 0 = any free port).")
    int httpPort;

    @Option(names = "--no-ansi", description = "Print plain text blocks instead of redrawing the screen in place.")
    boolean noAnsi;

    @Option(names = "--refresh", defaultValue = "500ms", converter = DurationConverter.class,
            description = "How often the view is redrawn (default ${DEFAULT-VALUE}; 5s without ANSI).")
    Duration refresh;

    @Option(names = "--dataset", paramLabel = "FILE",
            description = "Replay this JSON Lines dataset instead of the bundled synthetic test set.")
    Path dataset;

    @Option(names = "--continuous-tracks",
            description = "The same track ids for all sequences of a device, instead of new ones per sequence.")
    boolean continuousTracks;

    @Option(names = {"-D", "--set"}, paramLabel = "KEY=VALUE", description = "Any processor setting. Repeatable.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path logFile = redirectLogs();
        boolean ansi = !noAnsi && System.console() != null && !"dumb".equals(System.getenv("TERM"));
        Duration viewRefresh = ansi || spec.commandLine().getParseResult().hasMatchedOption("--refresh")
                ? refresh : Duration.ofSeconds(5);
        DemoOptions options = new DemoOptions(devices, speed, Optional.ofNullable(duration), httpPort, ansi,
                viewRefresh, Optional.ofNullable(dataset), continuousTracks, settings);
        PrintStream screen = System.out;
        if (logFile != null) {
            screen.println("Logs: " + logFile);
        }
        DemoSession session = new DemoSession(options, screen);
        try (GracefulStop stop = new GracefulStop(session::stop, Duration.ofSeconds(60))) {
            session.run();
        }
        return 0;
    }

    /**
     * The demo's screen is redrawn in place, so logs go to a file unless the user chose where they go.
     *
     * @return the log file, or null when the user configured logging
     */
    private static Path redirectLogs() throws java.io.IOException {
        if (System.getProperty(LOG_FILE_PROPERTY) != null) {
            return null;
        }
        Path file = Files.createTempFile("skelstream-demo-", ".log");
        System.setProperty(LOG_FILE_PROPERTY, file.toString());
        return file;
    }
}
