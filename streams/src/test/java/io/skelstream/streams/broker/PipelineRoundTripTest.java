package io.skelstream.streams.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.skelstream.streams.app.ProcessingTopology;
import io.skelstream.streams.app.SkelStreamApplication;
import io.skelstream.streams.cli.SkelStreamCommand;
import io.skelstream.streams.config.SkelStreamConfig;
import picocli.CommandLine;

/**
 * The operations path against a real in-JVM broker: {@code topics}, the processor with a real model, {@code replay}
 * of a JSON Lines file, and {@code tail} of the poses and of the action events, plus the HTTP port of the running
 * processor. The probe model (see src/test/python/make_probe_model.py) answers "wave" for a person whose SpineMid
 * has x = 10, so the test knows which action must come out.
 */
class PipelineRoundTripTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NTU25_SPINE_MID = 1;
    private static EmbeddedKafkaBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void shouldCreateTopicsReplayProcessAndTailEndToEnd() throws Exception {
        // topics: created, then reported as existing
        String created = execute("topics", "--bootstrap", broker.bootstrapServers(), "--partitions", "2");
        assertEquals(4, created.lines().filter(l -> l.startsWith("created ")).count(), created);
        assertTrue(created.contains("skel.poses (2 partitions, replication factor 1)"), created);
        String again = execute("topics", "--bootstrap", broker.bootstrapServers(), "--partitions", "2");
        assertEquals(4, again.lines().filter(l -> l.startsWith("exists ")).count(), again);

        SkelStreamConfig config = SkelStreamConfig.of(Map.of(
                "kafka.bootstrap.servers", broker.bootstrapServers(),
                "streams.application.id", "round-trip",
                "streams.state.dir", dir.resolve("state").toString(),
                "streams.num.stream.threads", "1",
                SkelStreamConfig.HTTP_PORT, "0",
                SkelStreamConfig.MODEL_PATH, probeModel().toString()));
        HttpClient http = HttpClient.newHttpClient();
        SkelStreamApplication stopped;
        try (SkelStreamApplication application = SkelStreamApplication.start(config, ProcessingTopology.factory())) {
            stopped = application;
            assertTrue(application.awaitReady(Duration.ofSeconds(30)), application.readiness().reason());
            assertEquals(200, get(http, application.http().url("/readyz")).statusCode());
            assertEquals(200, get(http, application.http().url("/healthz")).statusCode());

            Path dataset = dir.resolve("wave.jsonl");
            Files.writeString(dataset, waveSequence("w1", 45) + "\n" + waveSequence("w2", 45) + "\n");
            String replayed = execute("replay", dataset.toString(), "--bootstrap", broker.bootstrapServers(),
                    "--devices", "2", "--speed", "2", "--no-progress");
            assertTrue(replayed.contains("published 180 frames (0 dropped) of 4 sequences"), replayed);

            List<JsonNode> poses = jsonLines(execute("tail", "poses", "--bootstrap", broker.bootstrapServers(),
                    "--from-beginning", "--max", "180", "--idle-timeout", "10s"));
            assertEquals(180, poses.size());
            Map<String, List<Long>> sequencesByDevice = poses.stream().collect(Collectors.groupingBy(
                    p -> p.get("device_id").asText(), Collectors.mapping(p -> p.get("sequence").asLong(),
                            Collectors.toList())));
            assertEquals(Map.of("device-01", range(90), "device-02", range(90)), sequencesByDevice,
                    "per-device sequence numbers, key = device, order kept per partition");
            JsonNode body = poses.get(0).get("bodies").get(0);
            assertEquals(1, body.get("track_id").asLong(), poses.get(0).toString());
            assertEquals(75, body.get("joints").size(), "25 joints x 3, decoded from float32");
            assertEquals(10.0, body.get("joints").get(3).asDouble(), "SpineMid x");

            List<JsonNode> actions = jsonLines(execute("tail", "actions", "--bootstrap", broker.bootstrapServers(),
                    "--from-beginning", "--max", "4", "--idle-timeout", "20s"));
            assertTrue(actions.size() >= 2, "action events arrived: " + actions);
            for (JsonNode action : actions) {
                assertEquals("wave", action.get("label").asText(), action.toString());
                assertTrue(action.get("confidence").asDouble() > 0.9, action.toString());
                assertTrue(action.get("device_id").asText().startsWith("device-0"), action.toString());
            }

            // bad input goes to the dead-letter topic, and tail decodes it
            try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of("bootstrap.servers",
                    broker.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
                raw.send(new ProducerRecord<>(config.posesTopic(), "device-99", "not avro".getBytes(UTF_8))).get();
            }
            List<JsonNode> deadLetters = jsonLines(execute("tail", "dead-letters", "--bootstrap",
                    broker.bootstrapServers(), "--from-beginning", "--max", "1", "--idle-timeout", "20s"));
            assertEquals(1, deadLetters.size());
            assertEquals("BAD_MAGIC", deadLetters.get(0).get("error_kind").asText(), deadLetters.get(0).toString());
            assertEquals(config.posesTopic(), deadLetters.get(0).get("source_topic").asText());

            String metrics = get(http, application.http().url("/metrics")).body();
            assertTrue(metrics.contains("skelstream_frames_in_total 181.0"), "pipeline metrics");
            assertTrue(metrics.contains("skelstream_dead_letters_total{kind=\"BAD_MAGIC\"} 1.0"), "dead letters by kind");
            assertTrue(metrics.contains("skelstream_events_total{label=\"wave\"}"), "events by label");
            assertTrue(metrics.contains("kafka_streams_stream_thread_process_rate{"), "Kafka Streams' own metrics");
            assertTrue(metrics.contains("jvm_threads_current"), "JVM metrics");
        }

        // closed in order: Kafka Streams stopped, not ready any more, HTTP port released
        assertEquals(org.apache.kafka.streams.KafkaStreams.State.NOT_RUNNING, stopped.kafkaStreams().state());
        assertEquals("SHUTTING_DOWN", stopped.readiness().state());
        String readyUrl = stopped.http().url("/readyz");
        org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> get(http, readyUrl));
    }

    /** A one-person ntu25 sequence at 30 fps whose SpineMid has x = 10 (the probe model's "wave"). */
    private static String waveSequence(String id, int frames) {
        StringBuilder frame = new StringBuilder("[[");
        for (int v = 0; v < 25; v++) {
            frame.append(v == 0 ? "" : ",").append(v == NTU25_SPINE_MID ? "[10,0.5,2]" : "[0.1,0.5,2]");
        }
        frame.append("]]");
        List<String> all = new ArrayList<>();
        for (int t = 0; t < frames; t++) {
            all.add(frame.toString());
        }
        return "{\"id\":\"" + id + "\",\"label\":\"wave\",\"layout\":\"ntu25\",\"fps\":30,\"frames\":["
                + String.join(",", all) + "]}";
    }

    private static Path probeModel() throws Exception {
        return Path.of(PipelineRoundTripTest.class.getResource("/io/skelstream/streams/topology/probe-ntu25.onnx").toURI());
    }

    private static List<Long> range(int n) {
        List<Long> values = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            values.add(i);
        }
        return values;
    }

    private static String execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = SkelStreamCommand.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int exit = commandLine.execute(args);
        assertEquals(0, exit, String.join(" ", args) + " failed: " + err);
        return out.toString();
    }

    private static List<JsonNode> jsonLines(String text) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                nodes.add(JSON.readTree(line));
            }
        }
        return nodes;
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
