package io.skelstream.streams.cli;

import java.io.PrintWriter;

import io.skelstream.encoder.EncoderException;
import io.skelstream.encoder.ModelContractException;
import io.skelstream.streams.app.StartupException;
import io.skelstream.streams.broker.EmbeddedBrokerException;
import io.skelstream.streams.broker.TopicProvisioningException;
import io.skelstream.streams.config.ConfigException;
import io.skelstream.streams.http.HttpPortException;
import io.skelstream.streams.replay.DatasetFormatException;
import io.skelstream.streams.replay.ReplayPublishException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failed command into one readable line on stderr and an exit code. Expected failures (bad settings,
 * unreachable broker, missing model or topic, malformed dataset) show their message only; anything else also shows
 * its stack trace, since it is a bug.
 */
final class FailureReporter implements IExecutionExceptionHandler {

    /** A setting, file or the environment is wrong: the user can fix it. */
    static final int EXIT_USAGE = 2;
    /** Something failed while running. */
    static final int EXIT_FAILURE = 1;

    @Override
    public int handleExecutionException(Exception error, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        String name = commandLine.getCommandName();
        if (isExpected(error)) {
            err.println(name + ": " + error.getMessage());
            err.flush();
            return EXIT_USAGE;
        }
        err.println(name + ": failed: " + error);
        error.printStackTrace(err);
        err.flush();
        return EXIT_FAILURE;
    }

    static boolean isExpected(Throwable error) {
        return error instanceof StartupException || error instanceof ConfigException
                || error instanceof DatasetFormatException || error instanceof TopicProvisioningException
                || error instanceof EmbeddedBrokerException || error instanceof HttpPortException
                || error instanceof ReplayPublishException || error instanceof ModelContractException
                || error instanceof EncoderException || error instanceof IllegalArgumentException;
    }
}
