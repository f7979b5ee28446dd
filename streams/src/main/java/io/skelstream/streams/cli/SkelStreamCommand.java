package io.skelstream.streams.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code skelstream}: the one executable of SkelStream.
 *
 * <pre>
 * skelstream demo                      embedded broker + bundled model + simulated devices + live view
 * skelstream run --bootstrap k:9092    the processor against a broker
 * skelstream replay data.jsonl.gz      a dataset as live device feeds
 * skelstream tail actions|alerts|dead-letters
 * skelstream topics --partitions 12 --replication-factor 3
 * </pre>
 */
@Command(name = "skelstream", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Real-time action recognition from skeleton-pose streams on Kafka.",
        subcommands = {DemoCommand.class, RunCommand.class, ReplayCommand.class, TailCommand.class, TopicsCommand.class,
                CommandLine.HelpCommand.class})
public final class SkelStreamCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The command line with SkelStream's error reporting; {@code execute(args)} returns the exit code. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new SkelStreamCommand());
        commandLine.setExecutionExceptionHandler(new FailureReporter());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
