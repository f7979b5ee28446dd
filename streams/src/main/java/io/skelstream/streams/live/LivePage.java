package io.skelstream.streams.live;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import io.skelstream.schemas.SkeletonLayouts;

/**
 * Serves {@code /live} on the operations port: the page and its script and style (classpath
 * {@code skelstream/live/}), {@code /live/layouts.json} (the bones, the same file the processor reads) and
 * {@code /live/events} (server-sent events; {@code ?device=ID} also streams that device's poses).
 *
 * <p>The events handler only sends the headers and hands the open exchange to the client's own writer thread, so a
 * stream never occupies one of the port's two handler threads and {@code /metrics} and the probes stay answerable.
 */
public final class LivePage implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(LivePage.class);

    public static final String PATH = "/live";
    public static final String EVENTS_PATH = "/live/events";
    /** Pages connected at once, at most; a further one gets 503 and its EventSource retries. */
    public static final int MAX_CLIENTS = 64;
    /** Updates queued per client before it is resynced with a snapshot. */
    public static final int MAX_QUEUED_EVENTS = 1_000;

    private static final String RESOURCES = "skelstream/live/";
    private static final Map<String, String> STATIC = Map.of(
            "/live", "index.html", "/live/", "index.html", "/live/live.js", "live.js", "/live/live.css", "live.css");

    private final LiveBoard board;
    private final LiveHub hub;
    private final LiveMetrics metrics;

    public LivePage(LiveBoard board, LiveHub hub, LiveMetrics metrics) {
        this.board = board;
        this.hub = hub;
        this.metrics = metrics;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
            respond(exchange, 405, "text/plain; charset=utf-8", "GET only\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (EVENTS_PATH.equals(path)) {
            openStream(exchange);
        } else if ("/live/layouts.json".equals(path)) {
            respond(exchange, 200, "application/json", resource(SkeletonLayouts.RESOURCE.substring(1)));
        } else if (STATIC.containsKey(path)) {
            String name = STATIC.get(path);
            respond(exchange, 200, contentType(name), resource(RESOURCES + name));
        } else {
            respond(exchange, 404, "text/plain; charset=utf-8",
                    ("no such live resource " + path + "; the page is " + PATH + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private void openStream(HttpExchange exchange) throws IOException {
        if (hub.clientCount() >= MAX_CLIENTS) {
            respond(exchange, 503, "text/plain; charset=utf-8", ("the live view already serves " + MAX_CLIENTS
                    + " pages\n").getBytes(StandardCharsets.UTF_8));
            return;
        }
        String device = queryParameter(exchange.getRequestURI().getRawQuery(), "device");
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
        exchange.sendResponseHeaders(200, 0);
        SseClient client = new SseClient(device, MAX_QUEUED_EVENTS, metrics);
        hub.add(client);
        Thread writer = new Thread(() -> {
            try (exchange; OutputStream out = exchange.getResponseBody()) {
                client.write(out, board, () -> hub.latestPoseJson(device));
            } catch (IOException e) {
                LOG.debug("Live client {} went away: {}", exchange.getRemoteAddress(), e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                hub.remove(client);
            }
        }, "skelstream-live-client");
        writer.setDaemon(true);
        writer.start();
    }

    static String queryParameter(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name) && eq >= 0) {
                String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                return value.isEmpty() ? null : value;
            }
        }
        return null;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = LivePage.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("this build lacks the live view's resource classpath:" + name);
            }
            return in.readAllBytes();
        }
    }

    private static String contentType(String name) {
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        return "text/css; charset=utf-8";
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            if ("HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
