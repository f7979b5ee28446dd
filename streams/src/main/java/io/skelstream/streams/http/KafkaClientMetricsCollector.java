package io.skelstream.streams.http;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;

/**
 * Serves Kafka Streams' own client metrics ({@code KafkaStreams.metrics()}: stream threads, tasks, stores, and the
 * embedded consumers, producers and admin client) on {@code /metrics}, read at scrape time, without a JMX agent.
 *
 * <p>Naming: {@code <prefix>_<group>_<name>}, the group without its {@code -metrics} suffix, every character outside
 * {@code [a-zA-Z0-9_]} turned into {@code _}; e.g. group {@code stream-thread-metrics}, name {@code process-rate} becomes
 * {@code kafka_streams_stream_thread_process_rate}. Each Kafka tag becomes a label ({@code thread-id} ->
 * {@code thread_id}). Kafka's cumulative {@code *-total} metrics become Prometheus counters (the exposition adds
 * {@code _total} back); everything else is a gauge. Non-numeric metrics (versions, commit ids, state names) are
 * left out.
 */
public final class KafkaClientMetricsCollector implements MultiCollector {

    public static final String DEFAULT_PREFIX = "kafka_streams";

    private static final String TOTAL_SUFFIX = "-total";
    private static final String GROUP_SUFFIX = "-metrics";
    private static final String TOPIC_LABEL = "topic";

    private final String prefix;
    private final Supplier<? extends Map<MetricName, ? extends Metric>> metrics;

    /**
     * @param prefix metric name prefix, e.g. {@value #DEFAULT_PREFIX}
     * @param metrics read on every scrape, e.g. {@code kafkaStreams::metrics}
     */
    public KafkaClientMetricsCollector(String prefix, Supplier<? extends Map<MetricName, ? extends Metric>> metrics) {
        this.prefix = prefix;
        this.metrics = metrics;
    }

    @Override
    public MetricSnapshots collect() {
        Map<String, Family> families = new TreeMap<>();
        for (Map.Entry<MetricName, ? extends Metric> entry : metrics.get().entrySet()) {
            Object value;
            try {
                value = entry.getValue().metricValue();
            } catch (RuntimeException e) {
                continue; // a gauge whose client is closing; the next scrape sees it again or not at all
            }
            if (!(value instanceof Number)) {
                continue;
            }
            MetricName name = entry.getKey();
            boolean counter = name.name().endsWith(TOTAL_SUFFIX);
            String baseName = counter ? name.name().substring(0, name.name().length() - TOTAL_SUFFIX.length()) : name.name();
            String promName = prometheusName(name.group(), baseName);
            // A counter "x" (exposed as x_total) and a gauge "x" would clash; such gauges get a suffix.
            Family family = families.get(promName);
            if (family != null && family.counter != counter) {
                promName = promName + (counter ? "_cumulative" : "_value");
                family = families.get(promName);
            }
            if (family == null) {
                family = new Family(promName, counter, name.description());
                families.put(promName, family);
            }
            family.add(labelsOf(name.tags()), ((Number) value).doubleValue());
        }
        List<MetricSnapshot> snapshots = new ArrayList<>(families.size());
        for (Family family : families.values()) {
            MetricSnapshot snapshot = family.snapshot();
            if (snapshot != null) {
                snapshots.add(snapshot);
            }
        }
        return new MetricSnapshots(snapshots);
    }

    /** {@code stream-thread-metrics}, {@code process-rate} -> {@code kafka_streams_stream_thread_process_rate}. */
    String prometheusName(String group, String name) {
        String shortGroup = group.endsWith(GROUP_SUFFIX) ? group.substring(0, group.length() - GROUP_SUFFIX.length()) : group;
        String raw = prefix + "_" + sanitise(shortGroup) + "_" + sanitise(name);
        String collapsed = raw.replaceAll("_+", "_");
        // Names ending in a suffix Prometheus reserves for its own series would be rejected.
        for (String reserved : List.of("_total", "_created", "_bucket", "_info")) {
            if (collapsed.endsWith(reserved)) {
                return collapsed + "_value";
            }
        }
        return collapsed;
    }

    private static String sanitise(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            out.append(plain ? Character.toLowerCase(c) : '_');
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }

    private static Labels labelsOf(Map<String, String> tags) {
        Labels.Builder labels = Labels.builder();
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, String> tag : new TreeMap<>(tags).entrySet()) {
            if (tag.getValue() == null) {
                continue;
            }
            String label = PrometheusNaming.sanitizeLabelName(sanitise(tag.getKey()));
            if (seen.add(label)) {
                labels.label(label, tag.getValue());
            }
        }
        return labels.build();
    }

    /** One Prometheus metric family being assembled from Kafka metrics with equal sanitised names. */
    private static final class Family {
        private final String name;
        private final boolean counter;
        private final String help;
        private final Map<Labels, Double> points = new LinkedHashMap<>();

        Family(String name, boolean counter, String help) {
            this.name = name;
            this.counter = counter;
            this.help = help == null ? "" : help;
        }

        void add(Labels labels, double value) {
            // Counters must be finite and non-negative; a NaN total means "no data yet".
            if (counter && !(value >= 0 && Double.isFinite(value))) {
                return;
            }
            points.putIfAbsent(labels, value);
        }

        /**
         * Kafka's consumer registers its per-topic metrics twice, under the topic's name and (deprecated) with its
         * dots turned into underscores ({@code skel.poses} and {@code skel_poses}): one series per topic is enough,
         * and a sum over topics would count the lag twice. Kafka refuses topics whose names collide that way, so the
         * underscore copy is never a topic of its own.
         */
        private void dropLegacyTopicCopies() {
            List<Labels> copies = new ArrayList<>();
            for (Labels labels : points.keySet()) {
                String topic = labels.get(TOPIC_LABEL);
                if (topic != null && topic.indexOf('.') >= 0) {
                    copies.add(withTopic(labels, topic.replace('.', '_')));
                }
            }
            copies.forEach(points::remove);
        }

        private static Labels withTopic(Labels labels, String topic) {
            Labels.Builder builder = Labels.builder();
            for (int i = 0; i < labels.size(); i++) {
                builder.label(labels.getName(i), labels.getName(i).equals(TOPIC_LABEL) ? topic : labels.getValue(i));
            }
            return builder.build();
        }

        MetricSnapshot snapshot() {
            dropLegacyTopicCopies();
            if (points.isEmpty()) {
                return null;
            }
            if (counter) {
                CounterSnapshot.Builder builder = CounterSnapshot.builder().name(name).help(help);
                points.forEach((labels, value) -> builder.dataPoint(
                        CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(value).build()));
                return builder.build();
            }
            GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(name).help(help);
            points.forEach((labels, value) -> builder.dataPoint(
                    GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(value).build()));
            return builder.build();
        }
    }
}
