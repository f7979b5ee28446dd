package io.skelstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skelstream.encoder.ModelDescription;
import io.skelstream.it.harness.ChildKafkaBroker;
import io.skelstream.it.harness.CommittedTopicReader;
import io.skelstream.it.harness.ObservedEvent;
import io.skelstream.it.harness.PipelineUnderTest;
import io.skelstream.it.harness.Poll;
import io.skelstream.it.harness.RunningPipeline;
import io.skelstream.it.harness.SkelStreamProcess;
import io.skelstream.it.online.OfflineScores;
import io.skelstream.it.online.SeparatedTakesSink;
import io.skelstream.it.online.VirtualReplayClock;
import io.skelstream.streams.replay.DatasetLoader;
import io.skelstream.streams.replay.GroundTruthTimeline;
import io.skelstream.streams.replay.KafkaFrameSink;
import io.skelstream.streams.replay.PoseReplayer;
import io.skelstream.streams.replay.PoseSequence;
import io.skelstream.streams.replay.ReplayOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Online accuracy: the held-out synthetic test set ({@code models/bundled/synthetic-test.jsonl.gz}, all 240
 * sequences) replayed through the broker as a live device, with the processor (the {@code run} command in a child
 * JVM, bundled model) recognising it, must be right at least as often as the same model offline on the same
 * sequences, minus 3 points.
 *
 * <p><b>Replay.</b> streams' replay machinery ({@link PoseReplayer}, {@link KafkaFrameSink}, the
 * {@link GroundTruthTimeline}) plays the sequences one after another on one device at each sequence's own 15 fps,
 * person slot m as track m+1, capture times from a virtual clock (published as fast as the broker takes them, timed
 * as if live). Consecutive sequences are separated by a 1 s pause ({@link SeparatedTakesSink}), longer than
 * window.max.gap.ms, so each sequence is its own track segment, as each is its own sample offline; one extra
 * sequence at the end only closes the last scored one.
 *
 * <p><b>Online label of a sequence.</b> The processor runs with its shipped windowing, an event for every window
 * (events.min.confidence=0, events.smoothing.windows=1: smoothing would only carry the previous take's probabilities
 * over the pause) and a hop of 2 model frames. A sequence's events are track 1's events whose windows lie inside its
 * capture-time span (person slot 0 is track 1, and slot 0 is the first person of the offline crop); the label the
 * pipeline settles on is the label most of them carry, a tie going to the window nearest the sequence's centre.
 * The test also checks that track 1 has exactly one event per window the windowing rules give.
 *
 * <p><b>Offline accuracy, same protocol as the trainer.</b> The trainer's own code cuts each sequence's centre crop
 * (ClipSampler.test_clips, one crop: what its probe evaluation behind metrics.json uses) and our Java encoder scores
 * it with the bundled model ({@link OfflineScores}); over all 240 sequences that must reproduce metrics.json's top1
 * within 1 point, which shows the crops are the trainer's protocol.
 *
 * <p><b>Which sequences are compared.</b> A live window needs T frames of a track; a sequence whose track 1 is in
 * view for less than one window (T-1)/fps (17 of 240: 30- or 31-frame sequences, and walks that enter or leave the
 * view) produces no window by design, while the trainer pads such a crop. Those are left out of both sides (and
 * listed in the per-sequence table); the comparison is on the remaining sequences, at least 90 % of the set.
 * Offline and online accuracy over them, the full-set figures and the table's path are printed.
 */
class OnlineAccuracyIT {

    private static final long GAP_MICROS = 1_000_000;
    private static final int HOP_FRAMES = 2;
    private static final double ALLOWED_DROP = 0.03;
    private static final String DEVICE_PREFIX = "online";
    private static final String APPLICATION_ID = "it-online-accuracy";

    private static RunningPipeline pipeline;
    private static ChildKafkaBroker broker;
    private static SkelStreamProcess app;
    private static ModelDescription model;
    private static Path work;

    @BeforeAll
    static void start() {
        Path bundled = PipelineUnderTest.bundledModel();
        assertTrue(Files.isRegularFile(bundled), "online accuracy needs the bundled model " + bundled);
        work = PipelineUnderTest.workDir("online-accuracy");
        model = PipelineUnderTest.describe(bundled);
        Map<String, String> settings = PipelineUnderTest.baseSettings(APPLICATION_ID);
        settings.put("model.path", bundled.toString());
        settings.put("window.hop.frames", String.valueOf(HOP_FRAMES));
        settings.put("model.intra.op.threads", "2");
        settings.put("track.inactivity.timeout.ms", "600000");
        pipeline = RunningPipeline.start(work, 1, settings);
        broker = pipeline.broker();
        app = pipeline.app();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void shouldRecogniseReplayedSequencesAtLeastAsOftenAsOfflineMinusThreePoints() throws Exception {
        Path bundledDir = PipelineUnderTest.bundledModel().getParent();
        JsonNode metrics = new ObjectMapper().readTree(bundledDir.resolve("metrics.json").toFile());
        double metricsTop1 = metrics.get("top1").asDouble();
        List<PoseSequence> dataset = new DatasetLoader().load(Optional.of(bundledDir.resolve("synthetic-test.jsonl.gz")));
        assertEquals(metrics.get("test_sequences").asInt(), dataset.size(),
                "metrics.json must score the same sequences the test replays");

        List<PoseSequence> playlist = new ArrayList<>(dataset);
        playlist.add(dataset.get(0)); // closes the last scored sequence's segment; not scored
        double seconds = 0;
        for (PoseSequence sequence : playlist) {
            seconds += sequence.durationSeconds() + GAP_MICROS / 1e6;
        }
        long start = System.currentTimeMillis() * 1000 - Math.round((seconds + 120) * 1e6);
        GroundTruthTimeline truth = new GroundTruthTimeline();
        // Continuous track ids: person slot 0 is track 1 in every take; the pause between takes already makes each
        // take its own track segment, as each sequence is its own sample offline.
        ReplayOptions options = new ReplayOptions(1, DEVICE_PREFIX, Optional.empty(), 1.0, 0, 0, false,
                Optional.empty(), 42, true);
        SeparatedTakesSink sink = new SeparatedTakesSink(new KafkaFrameSink(
                Map.of("bootstrap.servers", broker.bootstrapServers()), PipelineUnderTest.POSES), truth, GAP_MICROS);
        long replayStarted = System.nanoTime();
        try (sink) {
            new PoseReplayer(playlist, options, new VirtualReplayClock(start), truth).run(sink, statistics -> { });
        }
        double replaySeconds = (System.nanoTime() - replayStarted) / 1e9;
        List<SeparatedTakesSink.Take> takes = sink.takes().subList(0, dataset.size());
        String device = options.deviceId(0);

        long processingStarted = System.nanoTime();
        List<ObservedEvent> events;
        long inputEnd = endOffset(PipelineUnderTest.POSES);
        try (CommittedTopicReader actions = new CommittedTopicReader(broker.bootstrapServers(),
                PipelineUnderTest.ACTIONS)) {
            Poll.until("the app to commit all " + inputEnd + " input records", Duration.ofSeconds(300),
                    () -> committedInput() >= inputEnd, () -> app.jvm().logTail());
            // windows made due by the last records are flushed by the batcher's punctuator: wait until quiet
            int[] seen = {-1};
            Poll.until("no more events", Duration.ofSeconds(60), () -> {
                int now = actions.poll(Duration.ofMillis(1_500)).size();
                boolean quiet = now == seen[0];
                seen[0] = now;
                return quiet;
            }, () -> app.jvm().logTail());
            events = ObservedEvent.decodeAll(actions.records());
        }
        double processingSeconds = (System.nanoTime() - processingStarted) / 1e9;

        Map<String, OfflineScores.Scored> offline = OfflineScores.score(PipelineUnderTest.repoRoot(),
                PipelineUnderTest.bundledModel(), bundledDir.resolve("synthetic-test.jsonl.gz"), work);
        double offlineAll = offline.values().stream().filter(OfflineScores.Scored::right).count()
                / (double) offline.size();
        assertEquals(metricsTop1, offlineAll, 0.01, "the Java encoder on the trainer's centre crops must reproduce"
                + " metrics.json's top1, or the crops are not the trainer's protocol");

        // person slot 0 of a sequence is published as track 1 and sits first in the offline crop: score track 1
        Map<Integer, List<ObservedEvent>> bySequence = new HashMap<>();
        Set<String> windowKeys = new HashSet<>();
        for (ObservedEvent event : events) {
            assertEquals(device, event.deviceId());
            assertTrue(windowKeys.add(event.trackId() + "@" + event.windowEndMicros()), "two events for " + event);
            int take = takeOf(takes, event);
            if (take >= 0 && event.trackId() == 1) {
                bySequence.computeIfAbsent(take, k -> new ArrayList<>()).add(event);
            }
        }
        long span = (long) Math.ceil((model.frames() - 1) * 1e6 / model.fps());
        long hop = Math.round(HOP_FRAMES * 1e6 / model.fps());
        StringBuilder report = new StringBuilder(
                "sequence,label,frames,span_s,windows_expected,windows,online_settled,online_centre,offline\n");
        int scored = 0;
        int onlineRight = 0;
        int centreRight = 0;
        int offlineRight = 0;
        int tooShort = 0;
        int eventsChecked = 0;
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < takes.size(); i++) {
            SeparatedTakesSink.Take take = takes.get(i);
            OfflineScores.Scored off = offline.get(take.truth.sequenceId());
            List<ObservedEvent> own = bySequence.getOrDefault(i, List.of());
            // track 1's first window in a take ends one span after its first frame there, then one every hop up to
            // its last frame (the pause after the take makes them all due); a person seen for less than a window
            // has none
            long[] seen = take.trackSpans.get(1L);
            long room = seen == null ? -1 : seen[1] - seen[0] - span;
            int windows = room < 0 ? 0 : (int) (room / hop) + 1;
            String settled = "";
            String centreLabel = "";
            if (windows == 0) {
                tooShort++;
            } else if (own.isEmpty()) {
                missing.add(take.truth.sequenceId());
            } else {
                long centre = (take.firstMicros + take.lastMicros) / 2;
                ObservedEvent central = own.stream().min(Comparator.comparingLong(
                        e -> Math.abs((e.windowStartMicros() + e.windowEndMicros()) / 2 - centre))).orElseThrow();
                centreLabel = central.label();
                settled = majority(own, centreLabel);
                scored++;
                onlineRight += settled.equals(take.truth.label()) ? 1 : 0;
                centreRight += centreLabel.equals(take.truth.label()) ? 1 : 0;
                offlineRight += off.right() ? 1 : 0;
                assertEquals(windows, own.size(), take.truth.sequenceId() + ": one event per window of track 1");
            }
            report.append(String.format("%s,%s,%d,%.3f,%d,%d,%s,%s,%s%n", take.truth.sequenceId(),
                    take.truth.label(), off.frames(), (take.lastMicros - take.firstMicros) / 1e6, windows, own.size(),
                    settled, centreLabel, off.predicted()));
            eventsChecked += own.size();
        }
        Files.writeString(work.resolve("online-accuracy.csv"), report);
        double online = onlineRight / (double) scored;
        double offlineScored = offlineRight / (double) scored;
        System.out.printf("OnlineAccuracyIT: %d sequences; %d shorter than one %d-frame window (%.2f s) at %.0f fps"
                        + " (track 1 in view for less than that) cannot be windowed live and are left out; on the other %d: online (settled label) %.4f,"
                        + " online (centre window) %.4f, offline (trainer's centre crop, Java encoder) %.4f;"
                        + " offline on all %d: %.4f (metrics.json top1 %.4f); %d events, %d of track 1 checked; replay %.1f s, processing"
                        + " %.1f s; per-sequence table %s%n", takes.size(), tooShort, model.frames(), span / 1e6,
                model.fps(), scored, online, centreRight / (double) scored, offlineScored, offline.size(), offlineAll,
                metricsTop1, events.size(), eventsChecked, replaySeconds, processingSeconds, work.resolve("online-accuracy.csv"));
        assertTrue(missing.isEmpty(), "sequences long enough for a window but without any event: " + missing);
        assertTrue(scored >= 0.9 * takes.size(), "at least 90 % of the sequences are scored, got " + scored);
        assertTrue(online >= offlineScored - ALLOWED_DROP, String.format("online accuracy %.4f is more than %.0f"
                + " points below the offline %.4f on the same %d sequences", online, ALLOWED_DROP * 100,
                offlineScored, scored));
    }

    private static long endOffset(String topic) {
        try (Admin admin = broker.admin()) {
            TopicPartition partition = new TopicPartition(topic, 0);
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition)
                    .get(10, TimeUnit.SECONDS).offset();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the end offset of " + topic, e);
        }
    }

    private static long committedInput() {
        try (Admin admin = broker.admin()) {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets(APPLICATION_ID)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                    .get(new TopicPartition(PipelineUnderTest.POSES, 0));
            return committed == null ? 0 : committed.offset();
        } catch (Exception e) {
            return 0;
        }
    }

    /** Index of the take whose capture-time span holds the event's window, or -1 (the closing extra take). */
    private static int takeOf(List<SeparatedTakesSink.Take> takes, ObservedEvent event) {
        for (int i = 0; i < takes.size(); i++) {
            SeparatedTakesSink.Take take = takes.get(i);
            // a window starts at end - ceil(span): up to 1 us before the take's first frame
            if (event.windowStartMicros() >= take.firstMicros - 1 && event.windowEndMicros() <= take.lastMicros) {
                return i;
            }
        }
        return -1;
    }

    /** The most frequent label; a tie goes to {@code tieBreak} when it is among the most frequent. */
    private static String majority(List<ObservedEvent> events, String tieBreak) {
        Map<String, Integer> votes = new HashMap<>();
        events.forEach(e -> votes.merge(e.label(), 1, Integer::sum));
        int best = votes.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        if (votes.getOrDefault(tieBreak, 0) == best) {
            return tieBreak;
        }
        return votes.entrySet().stream().filter(e -> e.getValue() == best).map(Map.Entry::getKey).sorted()
                .findFirst().orElseThrow();
    }
}
