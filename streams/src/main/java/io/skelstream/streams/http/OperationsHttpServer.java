package io.skelstream.streams.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The one operations port of a SkelStream process.
 *
 * <pre>
 * /metrics   Prometheus exposition of the registry (pipeline, JVM and Kafka client metrics)
 * /healthz   200 while the process is alive (liveness probe)
 * /readyz    200 when running and the model is loaded, 503 with a JSON reason otherwise (readiness probe)
 * </pre>
 *
 * Further pages (e.g. a live view) are added with {@link #addPage(String, HttpHandler)} before or after start.
 * Built on the JDK's {@code com.sun.net.httpserver} with the Prometheus exporter's handler, so nothing else listens.
 */
public final class OperationsHttpServer implements AutoCloseable {

    public static final String METRICS_PATH = "/metrics";
    public static final String HEALTH_PATH = "/healthz";
    public static final String READY_PATH = "/readyz";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Scrapes and probes are small; two threads keep a slow scrape from blocking a probe. */
    private static final int HANDLER_THREADS = 2;

    private final HttpServer server;
    private final ExecutorService executor;
    /** Where {@code /} redirects (e.g. the live view), or null for the plain index. [live view] */
    private final AtomicReference<String> home;

    private OperationsHttpServer(HttpServer server, ExecutorService executor, AtomicReference<String> home) {
        this.server = server;
        this.executor = executor;
        this.home = home;
    }

    /**
     * Binds and starts the server.
     *
     * @param host address to bind, e.g. {@code 0.0.0.0}
     * @param port TCP port; 0 picks a free one (see {@link #port()})
     * @throws HttpPortException when the port cannot be bound (in use, no permission)
     */
    public static OperationsHttpServer start(String host, int port, PrometheusRegistry registry, ReadinessProbe readiness) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (IOException e) {
            throw new HttpPortException("cannot open the HTTP port " + host + ":" + port + " (" + e.getMessage()
                    + "); choose another with --http-port or http.port, or 0 for any free port", e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(HANDLER_THREADS, runnable -> {
            Thread thread = new Thread(runnable, "skelstream-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext(METRICS_PATH, new MetricsHandler(registry));
        server.createContext(HEALTH_PATH, exchange -> respond(exchange, 200, "text/plain; charset=utf-8", "ok\n"));
        server.createContext(READY_PATH, exchange -> respondReadiness(exchange, readiness));
        AtomicReference<String> home = new AtomicReference<>();
        server.createContext("/", exchange -> respondIndex(exchange, home.get()));
        server.start();
        return new OperationsHttpServer(server, executor, home);
    }

    /** Serves another page on the same port (e.g. {@code /live}); replaces nothing already served. */
    public void addPage(String path, HttpHandler handler) {
        server.createContext(path, handler);
    }

    /** Makes {@code /} redirect (302) to this path, e.g. the live view's {@code /live}. [live view] */
    public void redirectHomeTo(String path) {
        home.set(path);
    }

    /** The bound port (useful after starting on port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** e.g. {@code http://localhost:8080/metrics}. */
    public String url(String path) {
        return "http://localhost:" + port() + path;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void respondReadiness(HttpExchange exchange, ReadinessProbe probe) throws IOException {
        Readiness readiness;
        try {
            readiness = probe.check();
        } catch (RuntimeException e) {
            readiness = Readiness.notReady("UNKNOWN", "readiness check failed: " + e);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ready", readiness.ready());
        body.put("state", readiness.state());
        if (!readiness.ready()) {
            body.put("reason", readiness.reason());
        }
        body.putAll(readiness.details());
        respond(exchange, readiness.ready() ? 200 : 503, "application/json", toJson(body) + "\n");
    }

    private static void respondIndex(HttpExchange exchange, String home) throws IOException {
        if (!"/".equals(exchange.getRequestURI().getPath())) {
            respond(exchange, 404, "text/plain; charset=utf-8", "not found; try " + METRICS_PATH + ", "
                    + HEALTH_PATH + " or " + READY_PATH + "\n");
            return;
        }
        if (home != null) { // [live view]
            exchange.getResponseHeaders().set("Location", home);
            respond(exchange, 302, "text/plain; charset=utf-8", "see " + home + "\n");
            return;
        }
        respond(exchange, 200, "text/plain; charset=utf-8",
                "SkelStream\n" + METRICS_PATH + "\n" + HEALTH_PATH + "\n" + READY_PATH + "\n");
    }

    private static String toJson(Map<String, Object> body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings and booleans is always JSON", e);
        }
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            if ("HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
