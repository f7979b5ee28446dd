package io.skelstream.it.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.skelstream.it.harness.ChildJvm;
import io.skelstream.it.harness.ChildKafkaBroker;
import io.skelstream.it.harness.PipelineUnderTest;
import io.skelstream.it.harness.Poll;
import io.skelstream.it.harness.RunningPipeline;
import io.skelstream.it.harness.SkelStreamProcess;
import io.skelstream.schemas.SkelSerdes;
import io.skelstream.schemas.avro.ActionEvent;

/**
 * The live view ({@code /live}) end to end in headless Chromium: the processor ({@code run}, child JVM) on a real
 * broker, fed by the real {@code replay} command with 100 devices looping the bundled synthetic test set, and
 * {@code live-page.mjs} (playwright-core + Debian's chromium) opening the page.
 *
 * <ol>
 *   <li>The page: all 100 devices appear; the followed device's skeleton is drawn (canvas pixels read back); the
 *   action each row shows is the label of that very event on {@code skel.actions} (read_committed, compared by
 *   device, track and window end) and no more than a few seconds older than the device's latest event there; a
 *   screenshot lands in {@code target/live/}.</li>
 *   <li>Load: with the 100 devices streaming, animation frames keep coming (p95 gap, long tasks), a click on a device
 *   shows it promptly, and a browser that stops reading its stream holds up neither the port nor the pipeline.</li>
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LivePageIT {

    private static final int DEVICES = 100;
    private static final String MAIN = "io.skelstream.streams.cli.Main";
    /** The page may trail the topic by the feed's poll and the browser's frame; a few seconds is generous. */
    private static final long MAX_LAG_MILLIS = 5_000;

    private static RunningPipeline pipeline;
    private static ChildKafkaBroker broker;
    private static SkelStreamProcess app;
    private static ChildJvm replay;
    private static Path work;
    private static Path results;

    @BeforeAll
    static void start() throws IOException {
        LiveBrowser.requireInstalled();
        work = PipelineUnderTest.workDir("live-page");
        results = work.getParent().getParent().resolve("live");
        Files.createDirectories(results);
        Map<String, String> settings = PipelineUnderTest.baseSettings("it-live-page");
        settings.put("model.intra.op.threads", "2");
        pipeline = RunningPipeline.start(work, 4, settings);
        broker = pipeline.broker();
        app = pipeline.app();
        Path dataset = PipelineUnderTest.repoRoot().resolve("models/bundled/synthetic-test.jsonl.gz");
        replay = ChildJvm.start("replay", work, List.of("-Xmx512m"), MAIN, List.of("replay", dataset.toString(),
                "--bootstrap", broker.bootstrapServers(), "--devices", String.valueOf(DEVICES), "--loop",
                "--duration", "4m", "--no-progress"));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (replay != null) {
            replay.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    @Order(1)
    void shouldShowDevicesTheSkeletonAndTheActionsOfTheEventsTopic() throws Exception {
        Path screenshot = results.resolve("live-page.png");
        JsonNode seen = LiveBrowser.run(Map.of("LIVE_URL", app.url(""), "SCREENSHOT", screenshot.toString(),
                "EXPECT_DEVICES", String.valueOf(DEVICES), "MIN_WITH_ACTION", "10"), work.resolve("browser.log"), 240);
        Files.writeString(results.resolve("live-page.json"), seen.toPrettyString());

        assertEquals(0, seen.get("errors").size(), "no script errors on the page: " + seen.get("errors"));
        assertTrue(seen.get("finalUrl").asText().endsWith("/live"), "/ redirects to /live: " + seen.get("finalUrl"));
        assertEquals(DEVICES, seen.get("shown").size(), "every replayed device is listed");
        int lit = seen.get("skeleton").get("lit").asInt();
        assertTrue(lit > 300, "the skeleton canvas has drawn bones and joints (" + lit + " lit pixels)");
        assertTrue(Math.abs(seen.get("yawAfterDrag").asDouble()) > 0.5, "dragging rotates the view");
        assertTrue(Files.size(screenshot) > 10_000, "screenshot written to " + screenshot);

        Map<String, List<ActionEvent>> topic = readActions();
        List<JsonNode> rows = new ArrayList<>();
        seen.get("shown").forEach(rows::add);
        rows.add(seen.get("current"));
        int compared = 0;
        for (JsonNode row : rows) {
            if (row.get("label").isNull() || row.get("label").asText().isEmpty()) {
                continue;
            }
            String device = row.get("device").asText();
            List<ActionEvent> events = topic.getOrDefault(device, List.of());
            ActionEvent same = events.stream().filter(e -> e.getTrackId() == row.get("track").asLong()
                    && e.getWindowEnd().toEpochMilli() == row.get("windowEnd").asLong()).findFirst().orElse(null);
            assertTrue(same != null, device + ": the page shows an event that is not on skel.actions: " + row);
            assertEquals(same.getLabel(), row.get("label").asText(), device + ": label shown vs skel.actions");
            long latest = events.stream().mapToLong(e -> e.getWindowEnd().toEpochMilli()).max().orElseThrow();
            assertTrue(latest - row.get("windowEnd").asLong() <= MAX_LAG_MILLIS + readLagMillis,
                    device + ": the page shows a window ending " + (latest - row.get("windowEnd").asLong())
                            + " ms before the latest on the topic");
            compared++;
        }
        assertTrue(compared >= 11, "compared " + compared + " devices' actions with the topic");
    }

    @Test
    @Order(2)
    void shouldStayResponsiveWithAHundredDevicesStreaming() throws Exception {
        double eventsBefore = metric("skelstream_events_total");
        long started = System.nanoTime();
        JsonNode seen;
        // a browser that opens the stream and never reads it, for the whole measurement
        try (Socket stalled = new Socket("127.0.0.1", Integer.parseInt(app.url("").replaceAll(".*:", "")))) {
            stalled.setReceiveBufferSize(4096);
            OutputStream request = stalled.getOutputStream();
            request.write(("GET /live/events?device=device-001 HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            request.flush();
            seen = LiveBrowser.run(Map.of("LIVE_URL", app.url(""), "SCREENSHOT",
                    results.resolve("live-page-load.png").toString(), "EXPECT_DEVICES", String.valueOf(DEVICES),
                    "MIN_WITH_ACTION", "10", "LOAD_SECONDS", "10"), work.resolve("browser-load.log"), 240);
            long probe = System.nanoTime();
            assertTrue(app.get("/healthz") != null, "the port answers while a client is stalled");
            assertTrue(System.nanoTime() - probe < 2_000_000_000L, "promptly");
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double eventsAfter = metric("skelstream_events_total");
        JsonNode load = seen.get("load");
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("devices", DEVICES);
        report.put("page", load);
        report.put("events_per_second_during", (eventsAfter - eventsBefore) / seconds);
        for (String name : List.of("skelstream_live_clients", "skelstream_live_poses_dropped_total",
                "skelstream_live_resyncs_total")) {
            report.put(name, metric(name));
        }
        String json = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report);
        Files.writeString(results.resolve("live-load.json"), json);
        System.out.println("live view under load: " + json);

        assertEquals(0, seen.get("errors").size(), "no script errors: " + seen.get("errors"));
        assertTrue(eventsAfter > eventsBefore, "the pipeline kept producing events while a client was stalled");
        assertTrue(load.get("frames").asInt() >= 10 * 20, "at least 20 animation frames a second: " + load);
        assertTrue(load.get("frameGapP95").asDouble() < 100, "95% of frames within 100 ms: " + load);
        assertTrue(load.get("longTaskMaxMs").asDouble() < 250, "no main-thread task over 250 ms: " + load);
        // click to shown includes Playwright's own round trips on a loaded 2-core machine
        List<Long> clicks = new ArrayList<>();
        load.get("clickToShowMs").forEach(c -> clicks.add(c.asLong()));
        clicks.sort(null);
        assertTrue(clicks.get(clicks.size() / 2) < 500, "half the clicks show their device within 0.5 s: " + load);
        assertTrue(clicks.get(clicks.size() - 1) < 2_000, "every click shows its device within 2 s: " + load);
    }

    private static long readLagMillis;

    /** Every committed action event, by device, read to the end offsets as of now. */
    private static Map<String, List<ActionEvent>> readActions() {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        long started = System.currentTimeMillis();
        Map<String, List<ActionEvent>> byDevice = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(PipelineUnderTest.ACTIONS, Duration.ofSeconds(30))
                    .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Poll.until("reading skel.actions to its end", Duration.ofSeconds(60), () -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    ActionEvent event = SkelSerdes.actionEvent().deserialize(record.topic(), record.value());
                    byDevice.computeIfAbsent(event.getDeviceId(), d -> new ArrayList<>()).add(event);
                }
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            }, () -> app.jvm().logTail());
        }
        // events committed between the page's look and this read make the topic look ahead of the page
        readLagMillis = System.currentTimeMillis() - started + 3_000;
        return byDevice;
    }

    private static double metric(String name) {
        String page = app.get("/metrics");
        double sum = 0;
        for (String line : page.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
