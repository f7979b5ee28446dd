package io.skelstream.streams.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.skelstream.streams.metrics.PipelineMetrics;

class OperationsHttpServerTest {

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void shouldServeJvmPipelineAndKafkaClientMetricsOnOnePort() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        JvmMetrics.builder().register(registry);
        PipelineMetrics pipeline = new PipelineMetrics(registry);
        pipeline.frameIn();
        pipeline.deadLetter("UNDECODABLE");
        // A real Kafka client's metrics: a producer has them before it ever connects.
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", "localhost:1"),
                new StringSerializer(), new StringSerializer())) {
            registry.register(new KafkaClientMetricsCollector("kafka_streams", producer::metrics));
            try (OperationsHttpServer server = OperationsHttpServer.start("127.0.0.1", 0, registry,
                    () -> Readiness.ready("RUNNING", Map.of()))) {
                HttpResponse<String> metrics = get(server, "/metrics");

                assertEquals(200, metrics.statusCode());
                assertTrue(metrics.body().contains("jvm_memory_used_bytes"), "JVM metrics");
                assertTrue(metrics.body().contains("skelstream_frames_in_total 1.0"), "pipeline metrics");
                assertTrue(metrics.body().contains("skelstream_dead_letters_total{kind=\"UNDECODABLE\"} 1.0"));
                assertTrue(metrics.body().contains("kafka_streams_producer_record_send_rate{client_id=\"producer-"),
                        "Kafka client metrics bridged without JMX");
            }
        }
    }

    @Test
    void shouldAnswerHealthAlwaysAndReadinessOnlyWhenReady() throws Exception {
        AtomicReference<Readiness> state = new AtomicReference<>(Readiness.notReady("REBALANCING",
                "Kafka Streams is REBALANCING"));
        try (OperationsHttpServer server = OperationsHttpServer.start("127.0.0.1", 0, new PrometheusRegistry(),
                state::get)) {
            assertEquals(200, get(server, "/healthz").statusCode());
            HttpResponse<String> notReady = get(server, "/readyz");
            assertEquals(503, notReady.statusCode());
            assertEquals("application/json", notReady.headers().firstValue("Content-Type").orElse(""));
            assertTrue(notReady.body().contains("\"ready\":false"));
            assertTrue(notReady.body().contains("\"reason\":\"Kafka Streams is REBALANCING\""));

            state.set(Readiness.ready("RUNNING", Map.of("model", "skelstream-tiny")));
            HttpResponse<String> ready = get(server, "/readyz");

            assertEquals(200, ready.statusCode());
            assertTrue(ready.body().contains("\"ready\":true"));
            assertTrue(ready.body().contains("\"model\":\"skelstream-tiny\""));
            assertEquals(404, get(server, "/nothing-here").statusCode());
        }
    }

    @Test
    void shouldReportABusyPortClearly() {
        try (OperationsHttpServer first = OperationsHttpServer.start("127.0.0.1", 0, new PrometheusRegistry(),
                () -> Readiness.notReady("NOT_STARTED", "test"))) {
            HttpPortException error = org.junit.jupiter.api.Assertions.assertThrows(HttpPortException.class,
                    () -> OperationsHttpServer.start("127.0.0.1", first.port(), new PrometheusRegistry(),
                            () -> Readiness.notReady("NOT_STARTED", "test")));
            assertTrue(error.getMessage().contains("cannot open the HTTP port 127.0.0.1:" + first.port()));
            assertTrue(error.getMessage().contains("--http-port"));
        }
    }

    private HttpResponse<String> get(OperationsHttpServer server, String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(server.url(path))).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
