package io.skelstream.streams.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Max;
import org.junit.jupiter.api.Test;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

class KafkaClientMetricsCollectorTest {

    @Test
    void shouldTurnKafkaMetricsIntoSanitisedGaugesAndCounters() {
        try (Metrics metrics = new Metrics()) {
            Sensor process = metrics.sensor("process");
            process.add(metrics.metricName("process-total", "stream-thread-metrics", "records processed",
                    Map.of("thread-id", "t-1")), new CumulativeSum());
            process.add(metrics.metricName("process-latency-max", "stream-thread-metrics", "max latency",
                    Map.of("thread-id", "t-1")), new Max());
            process.record(3.0);
            process.record(5.0);
            metrics.addMetric(metrics.metricName("version", "app-info", "a string", Map.of()),
                    (org.apache.kafka.common.metrics.Gauge<String>) (config, now) -> "4.3.1");

            MetricSnapshots snapshots = new KafkaClientMetricsCollector("kafka_streams", metrics::metrics).collect();

            CounterSnapshot total = (CounterSnapshot) find(snapshots, "kafka_streams_stream_thread_process");
            assertEquals(8.0, total.getDataPoints().get(0).getValue());
            assertEquals("t-1", total.getDataPoints().get(0).getLabels().get("thread_id"));
            GaugeSnapshot max = (GaugeSnapshot) find(snapshots, "kafka_streams_stream_thread_process_latency_max");
            assertEquals(5.0, max.getDataPoints().get(0).getValue());
            assertFalse(snapshots.stream().anyMatch(s -> s.getMetadata().getName().contains("version")),
                    "string-valued metrics are left out");
        }
    }

    @Test
    void shouldKeepNamesValidWhenKafkaUsesReservedSuffixes() {
        KafkaClientMetricsCollector collector = new KafkaClientMetricsCollector("kafka_streams", Map::of);
        assertEquals("kafka_streams_app_info_start_time_ms", collector.prometheusName("app-info", "start-time-ms"));
        assertEquals("kafka_streams_consumer_fetch_manager_records_lag_max",
                collector.prometheusName("consumer-fetch-manager-metrics", "records-lag-max"));
        assertEquals("kafka_streams_x_created_value", collector.prometheusName("x-metrics", "created"));
    }

    @Test
    void shouldKeepOneSeriesPerTopicWhenKafkaAlsoRegistersTheUnderscoreName() {
        // given the consumer's lag registered under the topic's name and under Kafka's deprecated underscore copy,
        // and a topic whose own name has an underscore
        Map<MetricName, Metric> raw = new LinkedHashMap<>();
        raw.put(lag("skel.poses", "0"), metric(7));
        raw.put(lag("skel_poses", "0"), metric(7));
        raw.put(lag("skel.poses", "1"), metric(3));
        raw.put(lag("skel_poses", "1"), metric(3));
        raw.put(lag("plain_topic", "0"), metric(1));

        // when collected
        GaugeSnapshot lag = (GaugeSnapshot) find(new KafkaClientMetricsCollector("kafka_streams", () -> raw).collect(),
                "kafka_streams_consumer_fetch_manager_records_lag");

        // then each topic-partition once, under the topic's real name
        assertEquals(3, lag.getDataPoints().size());
        assertEquals(11.0, lag.getDataPoints().stream().mapToDouble(GaugeSnapshot.GaugeDataPointSnapshot::getValue).sum());
        assertTrue(lag.getDataPoints().stream().noneMatch(p -> "skel_poses".equals(p.getLabels().get("topic"))));
    }

    private static MetricName lag(String topic, String partition) {
        return new MetricName("records-lag", "consumer-fetch-manager-metrics", "",
                Map.of("client-id", "c-1", "topic", topic, "partition", partition));
    }

    @Test
    void shouldSkipNegativeOrMissingCountersAndMetricsThatFailToRead() {
        Map<MetricName, Metric> raw = new LinkedHashMap<>();
        raw.put(new MetricName("commit-total", "stream-task-metrics", "", Map.of("task-id", "0_0")), metric(Double.NaN));
        raw.put(new MetricName("commit-rate", "stream-task-metrics", "", Map.of("task-id", "0_0")), metric(2.5));
        raw.put(new MetricName("broken", "stream-task-metrics", "", Map.of()), new Metric() {
            @Override
            public MetricName metricName() {
                return null;
            }

            @Override
            public Object metricValue() {
                throw new IllegalStateException("client closing");
            }
        });

        MetricSnapshots snapshots = new KafkaClientMetricsCollector("kafka_streams", () -> raw).collect();

        assertEquals(1, snapshots.size());
        assertTrue(snapshots.get(0).getMetadata().getName().endsWith("commit_rate"));
    }

    private static Metric metric(double value) {
        return new Metric() {
            @Override
            public MetricName metricName() {
                return null;
            }

            @Override
            public Object metricValue() {
                return value;
            }
        };
    }

    private static MetricSnapshot find(MetricSnapshots snapshots, String name) {
        return snapshots.stream().filter(s -> s.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name + " in " + snapshots.stream()
                        .map(s -> s.getMetadata().getName()).toList()));
    }
}
