package io.skelstream.it.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The compose stack's observability against a real, fed SkelStream processor: every metric the alert rules and
 * the dashboard name exists in the app's /metrics (counters read through rate() are counters), the image's
 * healthcheck script answers from the app's port, and a real Prometheus server scrapes the app, evaluates the
 * alert rules without error and returns the app's values through its query API.
 */
@Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
class DockerMetricsIT {

    /** Series Prometheus makes itself: per scrape ({@code up}, {@code scrape_*}) and per alert ({@code ALERTS}). */
    private static final Set<String> PROMETHEUS_SERIES = Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped",
            "scrape_samples_post_metric_relabeling", "scrape_series_added", "ALERTS", "ALERTS_FOR_STATE");
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(60);

    private static FedPipeline pipeline;
    private static PrometheusServer prometheus;
    private static Path workDir;

    @BeforeAll
    static void startPipelineAndPrometheus() throws Exception {
        // A fresh folder per run: the broker formats its log directory with a new cluster id every time.
        Path base = Path.of(System.getProperty("skelstream.it.workDir"));
        java.nio.file.Files.createDirectories(base);
        workDir = java.nio.file.Files.createTempDirectory(base, "docker-metrics-");
        pipeline = FedPipeline.start(workDir);
        prometheus = PrometheusServer.start(workDir.resolve("prometheus"), "skelstream",
                "127.0.0.1:" + pipeline.httpPort(), List.of(DockerFolder.file("prometheus/alerts.yml")));
    }

    @AfterAll
    static void stopEverything() throws Exception {
        try {
            if (prometheus != null) {
                prometheus.close();
            }
        } finally {
            if (pipeline != null) {
                pipeline.close();
            }
        }
    }

    /** Every PromQL expression of alerts.yml, by alert name. */
    private static Map<String, String> alertExpressions() {
        Map<String, String> expressions = new LinkedHashMap<>();
        for (JsonNode group : YamlDocument.read(DockerFolder.file("prometheus/alerts.yml")).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String name = rule.has("alert") ? rule.path("alert").asText() : rule.path("record").asText();
                expressions.put(name, rule.path("expr").asText());
            }
        }
        return expressions;
    }

    private static GrafanaDashboard dashboard() {
        return GrafanaDashboard.read(DockerFolder.file("grafana/dashboards/skelstream.json"));
    }

    // ------------------------------------------------------------------ names

    @Test
    void everyMetricOfTheAlertRulesShouldExistInTheAppsMetrics() {
        MetricsExposition metrics = pipeline.scrape();
        Map<String, String> problems = new TreeMap<>();
        alertExpressions().forEach((alert, expr) -> checkNames("alert " + alert, expr, metrics, problems));
        assertTrue(problems.isEmpty(), () -> "alerts.yml does not match the app's series: " + problems);
        assertTrue(alertExpressions().size() >= 4);
    }

    @Test
    void everyMetricOfTheDashboardShouldExistInTheAppsMetrics() {
        MetricsExposition metrics = pipeline.scrape();
        Map<String, String> problems = new TreeMap<>();
        GrafanaDashboard dashboard = dashboard();
        for (GrafanaDashboard.Query query : dashboard.queries()) {
            checkNames("panel '" + query.panelTitle() + "' " + query.refId(), query.expr(), metrics, problems);
        }
        for (String selector : dashboard.variableSelectors()) {
            checkNames("variable", selector, metrics, problems);
        }
        assertTrue(problems.isEmpty(), () -> "the dashboard does not match the app's series: " + problems);
    }

    /** Records, per place, the names of {@code expr} that the scrape lacks or that rate() reads from a gauge. */
    private static void checkNames(String where, String expr, MetricsExposition metrics, Map<String, String> problems) {
        Set<String> names = PromQlMetricNames.of(expr);
        if (names.isEmpty()) {
            problems.put(where, "selects no metric: " + expr);
        }
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            if (!PROMETHEUS_SERIES.contains(name) && !metrics.hasSeries(name)) {
                missing.add(name);
            }
        }
        List<String> notCounters = new ArrayList<>();
        for (String name : PromQlMetricNames.countedBy(expr)) {
            if (metrics.hasSeries(name) && !metrics.isCumulative(name)) {
                notCounters.add(name + " (" + metrics.typeOfSeries(name).map(Enum::name).orElse("untyped") + ")");
            }
        }
        if (!missing.isEmpty()) {
            problems.put(where, "missing " + missing);
        }
        if (!notCounters.isEmpty()) {
            problems.merge(where, "rate()/increase() over non-counters " + notCounters, (a, b) -> a + "; " + b);
        }
    }

    // ------------------------------------------------------------------ healthcheck

    @Test
    void healthcheckScriptShouldPassOnTheAppsPortAndFailElsewhere() {
        Path script = DockerFolder.file("healthcheck.sh");
        Map<String, String> appPort = Map.of("SKELSTREAM_HTTP_PORT", String.valueOf(pipeline.httpPort()));
        ExternalTool.Result healthy = ExternalTool.BASH.run(workDir, Duration.ofSeconds(20), appPort, script.toString());
        assertEquals(0, healthy.exitCode(), healthy::describe);
        ExternalTool.Result ready = ExternalTool.BASH.run(workDir, Duration.ofSeconds(20), appPort, script.toString(), "/readyz");
        assertEquals(0, ready.exitCode(), ready::describe);
        ExternalTool.Result notFound = ExternalTool.BASH.run(workDir, Duration.ofSeconds(20), appPort, script.toString(), "/no-such-page");
        assertNotEquals(0, notFound.exitCode(), notFound::describe);
        assertTrue(notFound.output().contains("404"), notFound::describe);
        ExternalTool.Result closedPort = ExternalTool.BASH.run(workDir, Duration.ofSeconds(20),
                Map.of("SKELSTREAM_HTTP_PORT", String.valueOf(PrometheusServer.freePort())), script.toString());
        assertNotEquals(0, closedPort.exitCode(), closedPort::describe);
    }

    // ------------------------------------------------------------------ Prometheus

    @Test
    void prometheusShouldScrapeTheAppAndReturnItsCounters() throws InterruptedException {
        // Nothing is published any more: the app's counters are final, so Prometheus must return them exactly.
        MetricsExposition app = pipeline.scrape();
        for (String series : List.of("skelstream_frames_in_total", "skelstream_windows_inferred_total",
                "skelstream_inference_latency_seconds_count")) {
            double expected = app.sum(series);
            assertTrue(expected > 0, series + " is zero in the app");
            double seen = awaitValue("sum(" + series + "{job=\"skelstream\"})", expected);
            assertEquals(expected, seen, series + " through Prometheus");
        }
        Map<String, Double> deadLetters = app.samples("skelstream_dead_letters_total");
        double undecodable = deadLetters.entrySet().stream().filter(e -> e.getKey().contains("kind="))
                .mapToDouble(Map.Entry::getValue).sum();
        assertTrue(undecodable >= 1, () -> "the undecodable record was not counted: " + deadLetters);
        assertEquals(undecodable, awaitValue("sum(skelstream_dead_letters_total{job=\"skelstream\"})", undecodable));

        JsonNode target = prometheus.activeTargets().path(0);
        assertEquals("up", target.path("health").asText(), target::toString);
        assertEquals(1.0, awaitValue("up{job=\"skelstream\"}", 1.0));
    }

    @Test
    void prometheusShouldEvaluateEveryAlertRuleWithoutError() throws InterruptedException {
        long deadline = System.nanoTime() + QUERY_TIMEOUT.toNanos();
        JsonNode groups = prometheus.ruleGroups();
        while (System.nanoTime() < deadline && !allEvaluated(groups)) {
            Thread.sleep(500);
            groups = prometheus.ruleGroups();
        }
        Set<String> rules = new TreeSet<>();
        for (JsonNode group : groups) {
            for (JsonNode rule : group.path("rules")) {
                rules.add(rule.path("name").asText());
                assertEquals("ok", rule.path("health").asText(), () -> rule.path("name").asText() + ": " + rule.path("lastError"));
            }
        }
        assertEquals(new TreeSet<>(alertExpressions().keySet()), rules);
    }

    private static boolean allEvaluated(JsonNode groups) {
        if (groups.size() == 0) {
            return false;
        }
        for (JsonNode group : groups) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.path("lastEvaluation").asText("").startsWith("0001-")) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void everyDashboardQueryShouldRunOnPrometheusAndTheMainOnesReturnData() throws InterruptedException {
        // Grafana's variables as Grafana would expand them for "All" and a short dashboard range.
        List<String> failures = new ArrayList<>();
        awaitValue("count(up{job=\"skelstream\"})", 1.0);
        Thread.sleep(3000); // a few scrapes, so rate() over the range has two points
        for (GrafanaDashboard.Query query : dashboard().queries()) {
            String promql = query.expr().replace("$__rate_interval", "30s").replace("$instance", ".*");
            try {
                JsonNode result = prometheus.query(promql);
                boolean mustHaveData = query.expr().contains("skelstream_frames_in_total")
                        || query.expr().contains("skelstream_windows_inferred_total")
                        || query.expr().contains("skelstream_inference_latency_seconds_bucket");
                if (mustHaveData && result.size() == 0) {
                    failures.add(query.panelTitle() + " " + query.refId() + ": no data for " + promql);
                }
            } catch (IllegalStateException e) {
                failures.add(query.panelTitle() + " " + query.refId() + ": " + e.getMessage());
            }
        }
        assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
        assertFalse(dashboard().queries().isEmpty());
    }

    /** Polls an instant query until its single value equals {@code expected} or the timeout passes; returns the last value. */
    private static double awaitValue(String promql, double expected) throws InterruptedException {
        long deadline = System.nanoTime() + QUERY_TIMEOUT.toNanos();
        double last = Double.NaN;
        while (System.nanoTime() < deadline) {
            JsonNode result = prometheus.query(promql);
            if (result.size() == 1) {
                last = Double.parseDouble(result.get(0).path("value").get(1).asText());
                if (last == expected) {
                    return last;
                }
            }
            Thread.sleep(500);
        }
        return last;
    }
}
