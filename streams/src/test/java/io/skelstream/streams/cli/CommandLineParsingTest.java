package io.skelstream.streams.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.skelstream.streams.config.SkelStreamConfig;
import picocli.CommandLine;

class CommandLineParsingTest {

    @TempDir
    Path dir;

    @Test
    void shouldLayerFileEnvironmentSetAndFlagsInThatOrder() throws IOException {
        Path file = dir.resolve("skelstream.properties");
        Files.writeString(file, "kafka.bootstrap.servers=file:9092\nwindow.hop.frames=4\nevents.min.confidence=0.7\n"
                + "model.provider=CPU\nkafka.security.protocol=SASL_SSL\n");
        RunCommand run = parse(new RunCommand(), "--config", file.toString(), "-D", "window.hop.frames=6",
                "--set", "streams.num.stream.threads=3", "--bootstrap", "flag:9092", "--model", "m.onnx",
                "--provider", "cuda", "--http-port", "9999");
        run.config.environment = Map.of("SKELSTREAM_EVENTS_MIN_CONFIDENCE", "0.8", "SKELSTREAM_WINDOW_HOP_FRAMES", "5",
                "OTHER", "ignored");

        SkelStreamConfig config = run.config.load(run.flagSettings());

        assertEquals("flag:9092", config.kafkaClientProperties().get("bootstrap.servers"), "--bootstrap wins");
        assertEquals(6, config.windowHopFrames(), "-D wins over the environment and the file");
        assertEquals(0.8, config.minConfidence(), "the environment wins over the file");
        assertEquals("SASL_SSL", config.kafkaStreamsProperties().getProperty("security.protocol"), "kafka.* passes through");
        assertEquals("3", config.kafkaStreamsProperties().getProperty("num.stream.threads"), "streams.* passes through");
        assertEquals(Path.of("m.onnx"), config.modelPath().orElseThrow());
        assertEquals("CUDA", config.modelProvider());
        assertEquals(9999, config.httpPort());
    }

    @Test
    void shouldParseDurationsInEverydayUnits() {
        assertEquals(Duration.ofMillis(500), DurationConverter.parse("500ms"));
        assertEquals(Duration.ofSeconds(30), DurationConverter.parse("30s"));
        assertEquals(Duration.ofSeconds(90), DurationConverter.parse("1.5m"));
        assertEquals(Duration.ofHours(2), DurationConverter.parse("2h"));
        assertEquals(Duration.ofSeconds(45), DurationConverter.parse("45"));
        assertEquals(Duration.ofSeconds(90), DurationConverter.parse("PT90S"));
        assertThrows(CommandLine.TypeConversionException.class, () -> DurationConverter.parse("soon"));
    }

    @Test
    void shouldParseTailTargets() {
        assertEquals(TailTarget.ACTIONS, TailTarget.parse("actions"));
        assertEquals(TailTarget.ALERTS, TailTarget.parse("Alerts"));
        assertEquals(TailTarget.DEAD_LETTERS, TailTarget.parse("dead_letters"));
        assertEquals(TailTarget.DEAD_LETTERS, TailTarget.parse("dlq"));
        assertEquals(TailTarget.POSES, TailTarget.parse("poses"));
        SkelStreamConfig config = SkelStreamConfig.of(Map.of(SkelStreamConfig.TOPIC_ALERTS, "my.alerts"));
        assertEquals("my.alerts", TailTarget.ALERTS.topic(config));
        assertThrows(IllegalArgumentException.class, () -> TailTarget.parse("everything"));
    }

    @Test
    void shouldListEveryCommandInTheHelp() {
        StringWriter out = new StringWriter();
        CommandLine commandLine = SkelStreamCommand.commandLine();
        commandLine.setOut(new PrintWriter(out));

        int exit = commandLine.execute("--help");

        assertEquals(0, exit);
        for (String command : new String[] {"demo", "run", "replay", "tail", "topics"}) {
            assertTrue(out.toString().contains(command), "help lists " + command + ":\n" + out);
        }
    }

    @Test
    void shouldRejectBadValuesWithAUsageExitCodeAndAReadableMessage() {
        StringWriter err = new StringWriter();
        CommandLine commandLine = SkelStreamCommand.commandLine();
        commandLine.setErr(new PrintWriter(err));

        assertEquals(2, commandLine.execute("replay", "--drop-rate", "1.5"));
        assertTrue(err.toString().contains("replay: --drop-rate must be in [0, 1), got 1.5"), err.toString());

        StringWriter err2 = new StringWriter();
        commandLine.setErr(new PrintWriter(err2));
        assertEquals(2, commandLine.execute("run", "-D", "events.min.confidence=2"));
        assertTrue(err2.toString().contains("bad setting events.min.confidence='2' (from override)"), err2.toString());

        StringWriter err3 = new StringWriter();
        commandLine.setErr(new PrintWriter(err3));
        assertEquals(2, commandLine.execute("run", "--no-such-flag"));
        assertTrue(err3.toString().contains("Unknown option: '--no-such-flag'"), err3.toString());
    }

    @Test
    void shouldTrustTheSchemaPackageForAvro() {
        Main.trustSchemaPackages();
        assertTrue(System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES").contains("io.skelstream.schemas"));
    }

    private static <T> T parse(T command, String... args) {
        new CommandLine(command).parseArgs(args);
        return command;
    }
}
