package io.skelstream.it.bench;

import io.skelstream.encoder.ModelDescription;
import io.skelstream.it.harness.ChildKafkaBroker;
import io.skelstream.it.harness.SkelStreamProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a pipeline benchmark part shares: its broker, a work folder, the model, quick or full durations, and the
 * report lines (one list for every part). Each benchmark uses its own topics (prefix {@code <name>.}) and application
 * id, so runs never see each other's frames or state.
 */
final class BenchContext {

    static final int PARTITIONS = 4;

    final ChildKafkaBroker broker;
    final Path workDir;
    final Path model;
    final ModelDescription description;
    final boolean quick;
    final List<String> report;

    BenchContext(ChildKafkaBroker broker, Path workDir, Path model, ModelDescription description, boolean quick) {
        this(broker, workDir, model, description, quick, new ArrayList<>());
    }

    BenchContext(ChildKafkaBroker broker, Path workDir, Path model, ModelDescription description, boolean quick,
                 List<String> report) {
        this.broker = broker;
        this.workDir = workDir;
        this.model = model;
        this.description = description;
        this.quick = quick;
        this.report = report;
    }

    /** Creates {@code <name>.poses/actions/alerts/dlq} and returns the app settings that point at them. */
    Map<String, String> topics(String name) {
        Map<String, String> settings = new LinkedHashMap<>();
        String[][] topics = {{"topic.poses", name + ".poses"}, {"topic.actions", name + ".actions"},
            {"topic.alerts", name + ".alerts"}, {"topic.dead.letters", name + ".dlq"}};
        for (String[] topic : topics) {
            broker.createTopic(topic[1], PARTITIONS);
            settings.put(topic[0], topic[1]);
        }
        return settings;
    }

    /**
     * Starts {@code skelstream run} in a child JVM (as operators run it, with its own heap, GC and JIT, so the
     * benchmark's producers and consumers never share them) with the app's defaults, the model, the CPU provider,
     * and {@code overrides}.
     */
    SkelStreamProcess startApp(String applicationId, Map<String, String> topics, Map<String, String> overrides) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("streams.application.id", applicationId);
        settings.put("model.path", model.toString());
        settings.put("model.provider", "CPU");
        settings.putAll(topics);
        settings.putAll(overrides);
        return SkelStreamProcess.start(applicationId, workDir, broker.bootstrapServers(), settings);
    }

    /** Seconds of capture time between two windows of a track at the app's default hop (8 model frames). */
    double defaultHopSeconds() {
        return 8 / description.fps();
    }

    /** Seconds of capture time one window spans (T frames at the model's fps). */
    double windowSeconds() {
        return description.frames() / description.fps();
    }

    void line(String text) {
        System.out.println(text);
        report.add(text);
    }

    static String settingsText(Map<String, String> settings) {
        if (settings.isEmpty()) {
            return "app defaults";
        }
        StringBuilder text = new StringBuilder();
        settings.forEach((k, v) -> text.append(text.length() == 0 ? "" : ", ").append('`').append(k).append('=').append(v)
                .append('`'));
        return text.toString();
    }

}
