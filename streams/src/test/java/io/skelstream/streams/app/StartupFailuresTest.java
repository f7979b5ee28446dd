package io.skelstream.streams.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.skelstream.streams.broker.EmbeddedKafkaBroker;
import io.skelstream.streams.cli.SkelStreamCommand;
import io.skelstream.streams.config.SkelStreamConfig;
import picocli.CommandLine;

/** Start-up errors give one clear sentence, in time, from the library and from the command line. */
class StartupFailuresTest {

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBrokerWithoutTopics() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void shouldSayTheBrokerIsUnreachableWithinTheTimeout() throws IOException {
        String nowhere = "127.0.0.1:" + freePort();
        long start = System.nanoTime();

        StartupException error = assertThrows(StartupException.class, () -> StartupChecks.connectAdmin(
                Map.of("bootstrap.servers", nowhere), Duration.ofSeconds(2)));

        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        assertTrue(seconds < 6, "gave up after " + seconds + " s, expected about 2");
        assertTrue(error.getMessage().startsWith("cannot reach Kafka at " + nowhere + " within 2 s; check"
                + " kafka.bootstrap.servers"), error.getMessage());
    }

    @Test
    void shouldExitWithTheUnreachableMessageFromRun() throws IOException {
        String nowhere = "127.0.0.1:" + freePort();
        StringWriter err = new StringWriter();
        CommandLine commandLine = SkelStreamCommand.commandLine();
        commandLine.setErr(new PrintWriter(err));

        int exit = commandLine.execute("run", "--bootstrap", nowhere, "--http-port", "0",
                "-D", SkelStreamConfig.STARTUP_BROKER_TIMEOUT_MS + "=1500");

        assertEquals(2, exit);
        assertTrue(err.toString().startsWith("run: cannot reach Kafka at " + nowhere + " within 1.5 s"), err.toString());
    }

    @Test
    void shouldNameMissingTopicsAndTheCommandThatCreatesThem() {
        try (Admin admin = StartupChecks.connectAdmin(Map.of("bootstrap.servers", broker.bootstrapServers()),
                Duration.ofSeconds(10))) {
            StartupException error = assertThrows(StartupException.class, () -> StartupChecks.requireTopics(admin,
                    List.of("skel.poses", "skel.actions"), broker.bootstrapServers(), Duration.ofSeconds(10)));

            assertTrue(error.getMessage().startsWith("topics skel.actions, skel.poses do not exist on Kafka at "
                    + broker.bootstrapServers() + "; create them with:  skelstream topics --bootstrap "
                    + broker.bootstrapServers()), error.getMessage());
        }
    }

    @Test
    void shouldRefuseToStartTheProcessorWhenTopicsAreMissing() {
        SkelStreamConfig config = SkelStreamConfig.of(Map.of("kafka.bootstrap.servers", broker.bootstrapServers(),
                SkelStreamConfig.HTTP_PORT, "0"));

        StartupException error = assertThrows(StartupException.class,
                () -> SkelStreamApplication.start(config, ProcessingTopology.factory()));

        assertTrue(error.getMessage().contains("skel.poses"), error.getMessage());
        assertTrue(error.getMessage().contains("skelstream topics --bootstrap"), error.getMessage());
    }

    @Test
    void shouldNameAMissingModelFileAndMentionTheBundledDefault() {
        Path missing = Path.of("no", "such", "model.onnx");

        StartupException error = assertThrows(StartupException.class,
                () -> StartupChecks.modelSource(Optional.of(missing)));

        assertTrue(error.getMessage().startsWith("model file " + missing.toAbsolutePath() + " not found"),
                error.getMessage());
        assertTrue(error.getMessage().contains("The bundled model is used when none is configured"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
