package io.skelstream.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skelstream.it.harness.ChildKafkaBroker;
import io.skelstream.it.harness.CommittedTopicReader;
import io.skelstream.it.harness.PipelineUnderTest;
import io.skelstream.it.harness.Poll;
import io.skelstream.it.harness.RunningPipeline;
import io.skelstream.it.harness.PoseFrames;
import io.skelstream.it.harness.RawProducer;
import io.skelstream.it.harness.SkelStreamProcess;
import io.skelstream.schemas.SkelSerdes;
import io.skelstream.schemas.avro.ActionEvent;
import io.skelstream.schemas.avro.DeadLetter;
import io.skelstream.schemas.avro.LabelScore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The schema files are the whole contract: the bytes SkelStream writes to skel.actions (and skel.poses.dlq) are
 * decoded by a client that is not ours, {@code src/test/python/avsc_reader.py}, run with Debian's python3-avro and
 * given nothing but {@code schemas/src/main/avro/*.avsc} (it checks the single-object fingerprint from its own
 * canonical form). Every decoded field must equal what our own serde decodes from the same bytes.
 */
class ForeignClientIT {

    private static final String PYTHON = "/usr/bin/python3";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RunningPipeline pipeline;
    private static ChildKafkaBroker broker;
    private static SkelStreamProcess app;
    private static Path work;

    @BeforeAll
    static void start() {
        work = PipelineUnderTest.workDir("foreign-client");
        Map<String, String> settings = PipelineUnderTest.baseSettings("it-foreign-client");
        settings.put("window.hop.ms", "500");
        settings.put("track.inactivity.timeout.ms", "600000");
        pipeline = RunningPipeline.start(work, 1, settings);
        broker = pipeline.broker();
        app = pipeline.app();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void shouldDecodeActionEventsAndDeadLettersWithOnlyTheSchemaFiles() throws Exception {
        long first = System.currentTimeMillis() * 1000 - 30_000_000L;
        try (RawProducer producer = new RawProducer(broker.bootstrapServers())) {
            for (int i = 0; i < 150; i++) {
                long t = first + i * 33_333L;
                for (String device : new String[] {"foreign-a", "foreign-b"}) {
                    producer.send(PipelineUnderTest.POSES, device.getBytes(StandardCharsets.UTF_8),
                            PoseFrames.encode(PoseFrames.frame(device, t, i, 1, 2)));
                }
            }
            producer.send(PipelineUnderTest.POSES, "foreign-a".getBytes(StandardCharsets.UTF_8),
                    new byte[] {(byte) 0xC3, 0x01, 9, 9, 9, 9, 9, 9, 9, 9, 0});
        }
        List<ConsumerRecord<byte[], byte[]>> actions = await(PipelineUnderTest.ACTIONS, 12);
        List<ConsumerRecord<byte[], byte[]>> letters = await(PipelineUnderTest.DEAD_LETTERS, 1);

        List<JsonNode> foreignEvents = decodeForeign("ActionEvent", actions);
        assertEquals(actions.size(), foreignEvents.size(), "one line per record");
        String modelSha = sha256(PipelineUnderTest.model());
        for (int i = 0; i < actions.size(); i++) {
            ActionEvent ours = SkelSerdes.actionEvent().codec().decode(actions.get(i).value());
            JsonNode theirs = foreignEvents.get(i);
            String where = "action event at offset " + actions.get(i).offset() + ": " + theirs;
            assertEquals(ours.getDeviceId(), theirs.get("device_id").asText(), where);
            assertEquals(ours.getTrackId(), theirs.get("track_id").asLong(), where);
            assertEquals(PoseFrames.micros(ours.getWindowStart()), theirs.get("window_start").asLong(), where);
            assertEquals(PoseFrames.micros(ours.getWindowEnd()), theirs.get("window_end").asLong(), where);
            assertEquals(ours.getLabel(), theirs.get("label").asText(), where);
            assertEquals(ours.getConfidence(), (float) theirs.get("confidence").asDouble(), where);
            assertEquals(ours.getTopK().size(), theirs.get("top_k").size(), where);
            for (int k = 0; k < ours.getTopK().size(); k++) {
                LabelScore score = ours.getTopK().get(k);
                assertEquals(score.getLabel(), theirs.get("top_k").get(k).get("label").asText(), where);
                assertEquals(score.getScore(), (float) theirs.get("top_k").get(k).get("score").asDouble(), where);
            }
            assertEquals(ours.getModelName(), theirs.get("model_name").asText(), where);
            assertEquals(ours.getModelSha256(), theirs.get("model_sha256").asText(), where);
            assertEquals(modelSha, theirs.get("model_sha256").asText(), "the event names the model file it came from");
            assertEquals(PoseFrames.micros(ours.getEmittedAt()), theirs.get("emitted_at").asLong(), where);
        }

        List<JsonNode> foreignLetters = decodeForeign("DeadLetter", letters);
        DeadLetter ours = SkelSerdes.deadLetter().codec().decode(letters.get(0).value());
        JsonNode theirs = foreignLetters.get(0);
        assertEquals(ours.getSourceTopic(), theirs.get("source_topic").asText());
        assertEquals(ours.getPartition(), theirs.get("partition").asInt());
        assertEquals(ours.getOffset(), theirs.get("offset").asLong());
        assertArrayEquals(bytes(ours.getKey()), ints(theirs.get("key")));
        assertArrayEquals(bytes(ours.getValue()), ints(theirs.get("value")));
        assertEquals(ours.getErrorKind().name(), theirs.get("error_kind").asText());
        assertEquals(ours.getReason(), theirs.get("reason").asText());
        assertEquals(ours.getDeviceId(), theirs.get("device_id").isNull() ? null : theirs.get("device_id").asText());
        assertEquals(PoseFrames.micros(ours.getTime()), theirs.get("time").asLong());
        System.out.printf("ForeignClientIT: %d action events and %d dead letter decoded identically by avsc_reader.py%n",
                actions.size(), letters.size());
    }

    private static List<ConsumerRecord<byte[], byte[]>> await(String topic, int atLeast) {
        try (CommittedTopicReader reader = new CommittedTopicReader(broker.bootstrapServers(), topic)) {
            Poll.until(atLeast + " records on " + topic, Duration.ofSeconds(60),
                    () -> reader.poll(Duration.ofMillis(200)).size() >= atLeast, () -> app.jvm().logTail());
            return new ArrayList<>(reader.records());
        }
    }

    /** Runs avsc_reader.py over the records' values (base64, one per line) and parses its JSON lines. */
    private static List<JsonNode> decodeForeign(String record, List<ConsumerRecord<byte[], byte[]>> records)
            throws IOException, InterruptedException {
        Path repo = PipelineUnderTest.repoRoot();
        Path input = work.resolve(record + ".b64");
        Path output = work.resolve(record + ".jsonl");
        StringBuilder lines = new StringBuilder();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            lines.append(Base64.getEncoder().encodeToString(r.value())).append('\n');
        }
        Files.writeString(input, lines);
        Process python = new ProcessBuilder(PYTHON,
                repo.resolve("integration-tests/src/test/python/avsc_reader.py").toString(),
                "--schema-dir", repo.resolve("schemas/src/main/avro").toString(), "--record", record)
                .redirectInput(input.toFile())
                .redirectOutput(output.toFile())
                .redirectError(work.resolve(record + ".stderr").toFile())
                .start();
        assertTrue(python.waitFor(60, TimeUnit.SECONDS), "avsc_reader.py did not finish within 60 s");
        assertEquals(0, python.exitValue(), "avsc_reader.py failed: "
                + Files.readString(work.resolve(record + ".stderr")));
        List<JsonNode> decoded = new ArrayList<>();
        for (String line : Files.readAllLines(output)) {
            if (!line.isBlank()) {
                decoded.add(JSON.readTree(line));
            }
        }
        return decoded;
    }

    private static byte[] ints(JsonNode array) {
        if (array == null || array.isNull()) {
            return null;
        }
        byte[] out = new byte[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) array.get(i).asInt();
        }
        return out;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
