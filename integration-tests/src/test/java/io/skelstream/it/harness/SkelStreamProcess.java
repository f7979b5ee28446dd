package io.skelstream.it.harness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The SkelStream processor ({@code skelstream run}) in a child JVM, so a test can SIGKILL it and
 * start it again on the same state directory, as an operator's crash would.
 */
public final class SkelStreamProcess implements AutoCloseable {

    private static final String MAIN = "io.skelstream.streams.cli.Main";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final ChildJvm jvm;
    private final int httpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private SkelStreamProcess(ChildJvm jvm, int httpPort) {
        this.jvm = jvm;
        this.httpPort = httpPort;
    }

    /**
     * Starts {@code run} against the broker with the given settings (any config key, e.g.
     * {@code streams.application.id}) and waits until {@code /readyz} answers 200.
     */
    public static SkelStreamProcess start(String name, Path workDir, String bootstrapServers, Map<String, String> settings) {
        int port = Ports.free();
        Map<String, String> all = new TreeMap<>();
        all.put("streams.state.dir", workDir.resolve(name + "-state").toString());
        all.putAll(settings);
        List<String> args = new ArrayList<>(List.of("run", "--bootstrap", bootstrapServers, "--http-port", String.valueOf(port)));
        all.forEach((k, v) -> args.addAll(List.of("-D", k + "=" + v)));
        ChildJvm jvm = ChildJvm.start(name, workDir, List.of("-Xmx1g"), MAIN, args);
        SkelStreamProcess process = new SkelStreamProcess(jvm, port);
        process.awaitReady();
        return process;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + httpPort + path;
    }

    /** The body of a GET, or null when the app does not answer. */
    public String get(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url(path)))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    public ChildJvm jvm() {
        return jvm;
    }

    /** SIGKILL, the crash. */
    public void kill() throws InterruptedException {
        jvm.kill();
    }

    /** SIGTERM, the graceful stop; returns the exit code. */
    public int stop() throws InterruptedException {
        return jvm.stop(Duration.ofSeconds(90));
    }

    @Override
    public void close() {
        jvm.close();
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!jvm.isAlive()) {
                throw new IllegalStateException(jvm + " exited with code " + jvm.exitCode() + " before it was ready (log "
                        + jvm.log() + ")\n" + jvm.logTail());
            }
            if (get("/readyz") != null) {
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(jvm + " not ready within " + READY_TIMEOUT + "\n" + jvm.logTail());
    }
}
