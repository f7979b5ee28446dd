package io.skelstream.streams.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkelStreamConfigTest {

    @TempDir
    Path dir;

    @Test
    void shouldApplyDefaultsWhenNothingIsSet() {
        SkelStreamConfig config = SkelStreamConfig.of(Map.of());

        assertEquals("skel.poses", config.posesTopic());
        assertEquals("skel.actions", config.actionsTopic());
        assertEquals("skel.alerts", config.alertsTopic());
        assertEquals("skel.poses.dlq", config.deadLetterTopic());
        assertEquals("exactly_once_v2", config.kafkaStreamsProperties().getProperty("processing.guarantee"));
        assertEquals(EmitMode.EVERY_HOP, config.emitMode());
        assertTrue(config.windowHopMs().isEmpty());
    }

    @Test
    void shouldLetEnvironmentOverrideFileAndFlagsOverrideEnvironment() throws Exception {
        // given
        Path file = dir.resolve("skelstream.properties");
        Files.writeString(file, "batch.max.size=8\nevents.min.confidence=0.7\ntopic.poses=from-file\n");
        Map<String, String> env = Map.of("SKELSTREAM_BATCH_MAX_SIZE", "16", "SKELSTREAM_TOPIC_POSES", "from-env",
                "PATH", "/usr/bin");

        // when
        SkelStreamConfig config = SkelStreamConfig.load(Optional.of(file), env, Map.of("topic.poses", "from-flag"));

        // then
        assertEquals(16, config.batchMaxSize());
        assertEquals(0.7, config.minConfidence());
        assertEquals("from-flag", config.posesTopic());
        assertEquals("environment variable SKELSTREAM_BATCH_MAX_SIZE", config.originOf("batch.max.size").orElseThrow());
    }

    @Test
    void shouldPassKafkaAndStreamsKeysThroughWithoutPrefix() {
        SkelStreamConfig config = SkelStreamConfig.load(Optional.empty(),
                Map.of("SKELSTREAM_KAFKA_SASL_JAAS_CONFIG", "jaas-line", "SKELSTREAM_KAFKA_SECURITY_PROTOCOL", "SASL_SSL"),
                Map.of("streams.num.stream.threads", "4", "kafka.processing.guarantee", "at_least_once",
                        "kafka.bootstrap.servers", "broker:9093"));

        Properties properties = config.kafkaStreamsProperties();

        assertEquals("jaas-line", properties.getProperty("sasl.jaas.config"));
        assertEquals("SASL_SSL", properties.getProperty("security.protocol"));
        assertEquals("4", properties.getProperty("num.stream.threads"));
        assertEquals("at_least_once", properties.getProperty("processing.guarantee"));
        assertEquals("broker:9093", properties.getProperty("bootstrap.servers"));
        assertTrue(config.toString().contains("sasl.jaas.config=******"), config.toString());
    }

    @Test
    void shouldDefaultToLongCommitsWithCommitsOnEmitAndLetOperatorsOverrideClientSettingsInAnyForm() {
        // given nothing set: our ingest-friendly client defaults, commits requested on emit, no reorder tolerance
        SkelStreamConfig defaults = SkelStreamConfig.of(Map.of());
        Properties properties = defaults.kafkaStreamsProperties();
        assertEquals("1000", properties.getProperty("commit.interval.ms"));
        assertEquals("10", properties.getProperty("poll.ms"));
        assertEquals("20", properties.getProperty("producer.linger.ms"));
        assertEquals("262144", properties.getProperty("producer.batch.size"));
        assertEquals("2000", properties.getProperty("consumer.max.poll.records"));
        assertTrue(defaults.commitOnEmit());
        assertTrue(defaults.batchInferenceThread(), "the encoder on a thread of its own");
        assertEquals(0, defaults.reorderToleranceMs());
        assertEquals(0, defaults.batchShedAgeMs());

        // when an operator sets them, plain or with a client prefix
        Properties overridden = SkelStreamConfig.of(Map.of("kafka.linger.ms", "0",
                "streams.main.consumer.max.poll.records", "10", "streams.commit.interval.ms", "100",
                "events.commit.on.emit", "false")).kafkaStreamsProperties();

        // then theirs is the only one Kafka Streams sees (a prefixed default of ours would beat a plain key)
        assertEquals("0", overridden.getProperty("linger.ms"));
        assertEquals(null, overridden.getProperty("producer.linger.ms"));
        assertEquals("10", overridden.getProperty("main.consumer.max.poll.records"));
        assertEquals(null, overridden.getProperty("consumer.max.poll.records"));
        assertEquals("100", overridden.getProperty("commit.interval.ms"));
        assertEquals("262144", overridden.getProperty("producer.batch.size"));
    }

    @Test
    void shouldMapDoubleUnderscoreToLiteralUnderscore() {
        assertEquals("kafka.some_key.x", SkelStreamConfig.keyOfEnvironmentVariable("SKELSTREAM_KAFKA_SOME__KEY_X"));
    }

    @Test
    void shouldRejectBadValuesNamingKeyValueAndOrigin() {
        ConfigException notANumber = assertThrows(ConfigException.class, () -> SkelStreamConfig.load(Optional.empty(),
                Map.of("SKELSTREAM_BATCH_MAX_SIZE", "lots"), Map.of()));
        assertTrue(notANumber.getMessage().contains("batch.max.size='lots'"), notANumber.getMessage());
        assertTrue(notANumber.getMessage().contains("SKELSTREAM_BATCH_MAX_SIZE"), notANumber.getMessage());

        ConfigException outOfRange = assertThrows(ConfigException.class,
                () -> SkelStreamConfig.of(Map.of("events.min.confidence", "1.5")));
        assertTrue(outOfRange.getMessage().contains("[0.0, 1.0]"), outOfRange.getMessage());

        assertThrows(ConfigException.class, () -> SkelStreamConfig.of(Map.of("events.emit.mode", "sometimes")));
        assertThrows(ConfigException.class, () -> SkelStreamConfig.of(Map.of("topic.actions", "bad topic")));
        assertThrows(ConfigException.class, () -> SkelStreamConfig.of(Map.of("model.provider", "TPU")));
        ConfigException threadMode = assertThrows(ConfigException.class,
                () -> SkelStreamConfig.of(Map.of("batch.inference.thread", "sometimes")));
        assertTrue(threadMode.getMessage().contains("expected true or false"), threadMode.getMessage());
        assertFalse(SkelStreamConfig.of(Map.of("batch.inference.thread", "FALSE")).batchInferenceThread());
        assertThrows(ConfigException.class, () -> SkelStreamConfig.of(Map.of("batch.inference.thread", "auto")));
    }

    @Test
    void shouldReadTheOperationsSettingsTypedAndRefuseBadOnes() {
        // given nothing set: bind everywhere, 15 s for the broker at start-up, 30 s to shut down
        SkelStreamConfig defaults = SkelStreamConfig.of(Map.of());
        assertEquals("0.0.0.0", defaults.httpHost());
        assertEquals(java.time.Duration.ofSeconds(15), defaults.startupBrokerTimeout());
        assertEquals(java.time.Duration.ofSeconds(30), defaults.shutdownTimeout());

        // given values set, they are read as given
        SkelStreamConfig set = SkelStreamConfig.of(Map.of("http.host", "127.0.0.1",
                "startup.broker.timeout.ms", "1500", "shutdown.timeout.ms", "0"));
        assertEquals("127.0.0.1", set.httpHost());
        assertEquals(java.time.Duration.ofMillis(1500), set.startupBrokerTimeout());
        assertEquals(java.time.Duration.ZERO, set.shutdownTimeout());

        // a value that is not a number of milliseconds fails at load, naming the key (it was silently ignored)
        ConfigException shutdown = assertThrows(ConfigException.class,
                () -> SkelStreamConfig.of(Map.of("shutdown.timeout.ms", "30s")));
        assertTrue(shutdown.getMessage().contains("shutdown.timeout.ms"), shutdown.getMessage());
        assertThrows(ConfigException.class, () -> SkelStreamConfig.of(Map.of("startup.broker.timeout.ms", "0")));
    }

    @Test
    void shouldFailClearlyOnMissingFile() {
        Path missing = dir.resolve("nope.properties");
        ConfigException error = assertThrows(ConfigException.class,
                () -> SkelStreamConfig.load(Optional.of(missing), Map.of(), Map.of()));
        assertTrue(error.getMessage().contains(missing.toString()));
    }

    @Test
    void shouldParseEmitModeNames() {
        assertEquals(EmitMode.ON_CHANGE, SkelStreamConfig.of(Map.of("events.emit.mode", "on-change")).emitMode());
        assertEquals(250L, SkelStreamConfig.of(Map.of("window.hop.ms", "250")).windowHopMs().getAsLong());
    }
}
