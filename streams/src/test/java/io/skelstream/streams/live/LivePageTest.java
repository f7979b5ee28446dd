package io.skelstream.streams.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.skelstream.streams.http.OperationsHttpServer;
import io.skelstream.streams.http.Readiness;

/** The page and the event stream over a real HTTP port, fed the way the feed feeds them. */
class LivePageTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private OperationsHttpServer server;
    private LiveBoard board;
    private LiveHub hub;
    private LatestPoses poses;

    @BeforeEach
    void start() {
        PrometheusRegistry registry = new PrometheusRegistry();
        LiveMetrics metrics = new LiveMetrics(registry);
        board = new LiveBoard();
        poses = new LatestPoses();
        hub = new LiveHub(poses, metrics);
        server = OperationsHttpServer.start("127.0.0.1", 0, registry, () -> Readiness.ready("RUNNING", Map.of()));
        server.addPage(LivePage.PATH, new LivePage(board, hub, metrics));
        server.redirectHomeTo(LivePage.PATH);
    }

    @AfterEach
    void stop() {
        hub.close();
        server.close();
    }

    @Test
    void shouldServeThePageItsFilesAndTheLayoutsAndRedirectTheRootToIt() throws Exception {
        HttpResponse<String> root = get("/");
        assertEquals(302, root.statusCode());
        assertEquals("/live", root.headers().firstValue("Location").orElse(""));
        HttpResponse<String> page = get("/live");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<canvas id=\"skeleton\""));
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertEquals(200, get("/live/live.js").statusCode());
        assertEquals(200, get("/live/live.css").statusCode());
        JsonNode layouts = JSON.readTree(get("/live/layouts.json").body());
        assertEquals(25, layouts.get("layouts").get("ntu25").get("parents").size());
        assertEquals(404, get("/live/nothing").statusCode());
        for (String asset : List.of(page.body(), get("/live/live.js").body(), get("/live/live.css").body())) {
            assertTrue(!asset.contains("http://") && !asset.contains("https://"), "no external resource");
        }
    }

    @Test
    void shouldStreamSnapshotUpdatesAndTheFollowedDevicesPosesAtABoundedRate() throws Exception {
        synchronized (board) {
            board.action(LiveRecords.action("cam-1", 1, "walk", 0.8f, 1_000));
        }
        poses.put("cam-1", LiveRecords.pose("cam-1", 0, 1));
        List<String[]> received = new ArrayList<>();
        try (InputStream stream = openStream("/live/events?device=cam-1")) {
            BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
            String[] first = next(reader);
            assertEquals("snapshot", first[0]);
            JsonNode snapshot = JSON.readTree(first[1]);
            assertEquals("walk", snapshot.get("devices").get(0).get("action").get("label").asText());
            assertEquals("cam-1", snapshot.get("pose").get("device").asText());

            synchronized (board) {
                hub.publish("action", board.action(LiveRecords.action("cam-1", 1, "sit down", 0.7f, 2_000)));
            }
            // a device sending 200 frames per second for one second
            long started = System.nanoTime();
            for (int i = 1; i <= 200; i++) {
                poses.put("cam-1", LiveRecords.pose("cam-1", i, 1));
                poses.put("cam-2", LiveRecords.pose("cam-2", i, 1));
                Thread.sleep(5);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            Thread.sleep(300);
            hub.close(); // ends the stream
            String[] message;
            while ((message = next(reader)) != null) {
                received.add(message);
            }
            long poseCount = received.stream().filter(m -> m[0].equals("pose")).count();
            assertTrue(received.stream().anyMatch(m -> m[0].equals("action") && m[1].contains("sit down")));
            assertTrue(poseCount >= 3, "poses flow: " + poseCount);
            assertTrue(poseCount <= Math.ceil((seconds + 0.3) * LiveHub.POSE_RATE_HZ) + 1,
                    poseCount + " poses in " + seconds + " s exceed " + LiveHub.POSE_RATE_HZ + "/s");
            assertTrue(received.stream().filter(m -> m[0].equals("pose")).allMatch(m -> m[1].contains("\"cam-1\"")),
                    "only the followed device's poses");
        }
    }

    @Test
    void shouldKeepProbesAnsweringWhileStreamsAreOpen() throws Exception {
        List<InputStream> streams = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                streams.add(openStream("/live/events"));
            }
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(server.url("/healthz")))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), "more streams than handler threads must not block the port");
        } finally {
            for (InputStream stream : streams) {
                stream.close();
            }
        }
    }

    private InputStream openStream(String path) throws Exception {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(server.url(path)))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        return response.body();
    }

    /** The next server-sent event as {type, data}, skipping retry and comment lines; null at the end. */
    private static String[] next(BufferedReader reader) throws Exception {
        String type = null;
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.startsWith("event: ")) {
                type = line.substring(7);
            } else if (line.startsWith("data: ") && type != null) {
                return new String[] {type, line.substring(6)};
            }
        }
        return null;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url(path))).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
