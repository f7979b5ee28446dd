package io.skelstream.streams.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import io.skelstream.streams.app.ProcessingTopology;
import io.skelstream.streams.app.SkelStreamApplication;
import io.skelstream.streams.config.SkelStreamConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code skelstream run}: the processor against a broker, until SIGTERM / Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the processor: poses in, action events, alerts and dead letters out. Stops cleanly on"
                + " SIGTERM or Ctrl-C.")
final class RunCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions config;

    @Option(names = {"-m", "--model"}, paramLabel = "FILE",
            description = "Exported model (.onnx); default: the bundled model (sets model.path).")
    Path model;

    @Option(names = "--provider", paramLabel = "AUTO|CUDA|CPU",
            description = "Where the model runs (sets model.provider; default AUTO: CUDA when available).")
    String provider;

    @Option(names = "--http-port", paramLabel = "PORT",
            description = "Port of /metrics, /healthz, /readyz (sets http.port; default 8080; 0 = any free port).")
    Integer httpPort;

    @Option(names = "--alert-rules", paramLabel = "FILE", description = "Alert rules file (sets alerts.rules.file).")
    Path alertRules;

    @Spec
    CommandSpec spec;

    /** The settings of this command's own flags, on top of the config file, environment and -D. */
    Map<String, String> flagSettings() {
        Map<String, String> flags = new LinkedHashMap<>();
        if (model != null) {
            flags.put(SkelStreamConfig.MODEL_PATH, model.toString());
        }
        if (provider != null) {
            flags.put(SkelStreamConfig.MODEL_PROVIDER, provider);
        }
        if (httpPort != null) {
            flags.put(SkelStreamConfig.HTTP_PORT, String.valueOf(httpPort));
        }
        if (alertRules != null) {
            flags.put(SkelStreamConfig.ALERT_RULES_FILE, alertRules.toString());
        }
        return flags;
    }

    @Override
    public Integer call() throws InterruptedException {
        SkelStreamConfig settings = config.load(flagSettings());
        PrintWriter out = spec.commandLine().getOut();
        try (SkelStreamApplication application = SkelStreamApplication.start(settings, ProcessingTopology.factory());
             GracefulStop stop = new GracefulStop(application::close, Duration.ofSeconds(60))) {
            out.println("SkelStream running; metrics at " + application.http().url("/metrics") + ", Ctrl-C to stop");
            out.flush();
            boolean failed = application.awaitStop();
            if (failed) {
                spec.commandLine().getErr().println("run: Kafka Streams stopped after a fatal error; see the log above");
                return FailureReporter.EXIT_FAILURE;
            }
        }
        return 0;
    }
}
