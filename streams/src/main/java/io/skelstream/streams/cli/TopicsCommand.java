package io.skelstream.streams.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.admin.Admin;

import io.skelstream.streams.app.StartupChecks;
import io.skelstream.streams.broker.TopicProvisioner;
import io.skelstream.streams.config.SkelStreamConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code skelstream topics}: creates the poses, actions, alerts and dead-letter topics; existing ones are reported. */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Create SkelStream's topics (poses, actions, alerts, dead letters). Topics that already exist are"
                + " reported and left as they are.")
final class TopicsCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions config;

    @Option(names = "--partitions", defaultValue = "6", description = "Partitions per topic (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = {"--replication-factor", "--rf"}, defaultValue = "1",
            description = "Replication factor (default ${DEFAULT-VALUE}; use 3 in production).")
    short replicationFactor;

    @Option(names = "--timeout", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long to wait for the broker (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        SkelStreamConfig settings = config.load(Map.of());
        PrintWriter out = spec.commandLine().getOut();
        try (Admin admin = StartupChecks.connectAdmin(settings.kafkaClientProperties(), timeout)) {
            List<TopicProvisioner.Outcome> outcomes = new TopicProvisioner(admin, timeout)
                    .createAll(TopicProvisioner.topicsOf(settings, partitions, replicationFactor));
            for (TopicProvisioner.Outcome outcome : outcomes) {
                out.printf("%-8s %s (%d partitions, replication factor %d)%n", outcome.created() ? "created" : "exists",
                        outcome.name(), outcome.partitions(), outcome.replicationFactor());
            }
        }
        out.flush();
        return 0;
    }
}
