package io.skelstream.streams.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.admin.Admin;

import io.skelstream.streams.app.StartupChecks;
import io.skelstream.streams.config.SkelStreamConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code skelstream tail [actions|alerts|dead-letters]}: decoded records as JSON lines, committed ones only. */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = "Print action events, alerts or dead letters as JSON lines (read_committed: only what"
                + " exactly-once consumers see).")
final class TailCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions config;

    @Parameters(index = "0", arity = "0..1", defaultValue = "actions", paramLabel = "WHAT",
            description = "actions (default), alerts, dead-letters, or poses (the input).")
    String what;

    @Option(names = "--from-beginning", description = "Start at the oldest record instead of new ones only.")
    boolean fromBeginning;

    @Option(names = {"-n", "--max"}, defaultValue = "0", description = "Stop after N records (0 = never).")
    long maxRecords;

    @Option(names = "--idle-timeout", converter = DurationConverter.class,
            description = "Stop after this long without a record, e.g. 10s.")
    Duration idleTimeout;

    @Option(names = "--timeout", defaultValue = "15s", converter = DurationConverter.class,
            description = "How long to wait for the broker at start (default ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        TailTarget target = TailTarget.parse(what);
        SkelStreamConfig settings = config.load(Map.of());
        String topic = target.topic(settings);
        Map<String, String> client = settings.kafkaClientProperties();
        try (Admin admin = StartupChecks.connectAdmin(client, connectTimeout)) {
            StartupChecks.requireTopics(admin, java.util.List.of(topic), client.get("bootstrap.servers"), connectTimeout);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (TopicTail tail = new TopicTail(client, topic, target.deserializer())) {
            try (GracefulStop stop = new GracefulStop(tail::stop, Duration.ofSeconds(5))) {
                tail.run(new TopicTail.Options(fromBeginning, maxRecords, idleTimeout), line -> {
                    out.println(line);
                    out.flush();
                });
            }
        }
        return 0;
    }
}
