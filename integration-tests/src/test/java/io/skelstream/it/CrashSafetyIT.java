package io.skelstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skelstream.encoder.ModelDescription;
import io.skelstream.it.harness.ChildKafkaBroker;
import io.skelstream.it.harness.CommittedTopicReader;
import io.skelstream.it.harness.MetricsPage;
import io.skelstream.it.harness.ObservedEvent;
import io.skelstream.it.harness.PipelineUnderTest;
import io.skelstream.it.harness.Poll;
import io.skelstream.it.harness.PoseFrames;
import io.skelstream.it.harness.RawProducer;
import io.skelstream.it.harness.SkelStreamProcess;
import io.skelstream.it.harness.WindowGrid;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once under a crash (DESIGN.md: "a crash and restart neither loses nor duplicates action events").
 *
 * <p>The broker and the app run in child JVMs. One device with two tracks sends 20 s of frames at 30 fps (600
 * frames, one partition, so frame i is input offset i). After the first 6 s of frames have produced committed events,
 * the rest is published at about 100 frames/s and the app is SIGKILLed as soon as its committed input offset has
 * passed frame 200, i.e. mid-stream with input left; the app is then started again on the same state directory.
 *
 * <p>A read_committed consumer must then see, per track, exactly the window ends the windowing rules give for the
 * 600 frames ({@link WindowGrid}): none missing, none twice. Window state resumes: the restarted instance reads the
 * input from the first uncommitted frame on, yet it produces windows that start before that frame (2 s windows, a
 * 250 ms hop), so their earlier frames came from the restored state store; and it counts no window restart.
 */
class CrashSafetyIT {

    private static final String APPLICATION_ID = "it-crash-safety";
    private static final String DEVICE = "crash-01";
    private static final long[] TRACKS = {1, 2};
    private static final long HOP_MS = 250;
    private static final long TOLERANCE_MS = 100;
    private static final long FRAME_MICROS = 33_333;
    private static final int FRAMES = 600;
    private static final int FIRST_BATCH = 180;
    private static final long KILL_AFTER_OFFSET = 200;

    private static ChildKafkaBroker broker;
    private static Path work;
    private static ModelDescription model;

    @BeforeAll
    static void start() {
        work = PipelineUnderTest.workDir("crash-safety");
        broker = ChildKafkaBroker.start(work.resolve("kafka"));
        PipelineUnderTest.createTopics(broker, 1);
        model = PipelineUnderTest.describe(PipelineUnderTest.model());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (broker != null) {
            broker.close();
        }
    }

    private static Map<String, String> settings() {
        Map<String, String> settings = PipelineUnderTest.baseSettings(APPLICATION_ID);
        settings.put("streams.state.dir", work.resolve("state").toString());
        settings.put("window.hop.ms", String.valueOf(HOP_MS));
        settings.put("window.reorder.tolerance.ms", String.valueOf(TOLERANCE_MS));
        // the crash and restart take longer than the default 10 s; the track must not expire meanwhile
        settings.put("track.inactivity.timeout.ms", "600000");
        return settings;
    }

    @Test
    void shouldProduceEveryWindowExactlyOnceAcrossASigkillAndResumeWindowState() throws Exception {
        long firstFrame = System.currentTimeMillis() * 1000 - 120_000_000L;
        long[] captureOfOffset = new long[FRAMES];
        byte[] key = DEVICE.getBytes(StandardCharsets.UTF_8);

        SkelStreamProcess first = SkelStreamProcess.start("app-1", work, broker.bootstrapServers(), settings());
        long committedAtKill;
        Set<String> committedBeforeKill = new HashSet<>();
        Thread rest;
        try (first;
             RawProducer producer = new RawProducer(broker.bootstrapServers());
             CommittedTopicReader actions = new CommittedTopicReader(broker.bootstrapServers(),
                     PipelineUnderTest.ACTIONS)) {
            for (int i = 0; i < FIRST_BATCH; i++) {
                send(producer, key, firstFrame, i, captureOfOffset);
            }
            Poll.until("events committed by the first instance", Duration.ofSeconds(60),
                    () -> actions.poll(Duration.ofMillis(200)).size() >= 5, first.jvm()::logTail);

            rest = new Thread(() -> {
                try (RawProducer late = new RawProducer(broker.bootstrapServers())) {
                    for (int i = FIRST_BATCH; i < FRAMES; i++) {
                        send(late, key, firstFrame, i, captureOfOffset);
                        Poll.sleep(10);
                    }
                }
            }, "rest-of-stream");
            rest.start();
            Poll.until("the first instance to commit past input offset " + KILL_AFTER_OFFSET, Duration.ofSeconds(60),
                    () -> committedInputOffset() >= KILL_AFTER_OFFSET, first.jvm()::logTail);
            first.kill();
            committedAtKill = committedInputOffset();
            actions.poll(Duration.ofMillis(1_000)).forEach(r -> committedBeforeKill.add(r.partition() + "@" + r.offset()));
        }
        assertTrue(committedAtKill < FRAMES, "the kill must leave input unprocessed; committed " + committedAtKill);
        rest.join(60_000);
        assertTrue(!rest.isAlive(), "publishing the rest of the stream did not finish");

        Map<Long, List<Long>> expected = new java.util.TreeMap<>();
        WindowGrid grid = WindowGrid.of(model, HOP_MS, TOLERANCE_MS);
        int expectedTotal = 0;
        for (long track : TRACKS) {
            List<Long> ends = grid.expectedEnds(captureOfOffset[0], captureOfOffset[FRAMES - 1], FRAME_MICROS);
            expected.put(track, ends);
            expectedTotal += ends.size();
        }

        try (SkelStreamProcess second = SkelStreamProcess.start("app-2", work, broker.bootstrapServers(), settings());
             CommittedTopicReader actions = new CommittedTopicReader(broker.bootstrapServers(),
                     PipelineUnderTest.ACTIONS)) {
            int total = expectedTotal;
            Poll.until(total + " action events", Duration.ofSeconds(120),
                    () -> actions.poll(Duration.ofMillis(200)).size() >= total, second.jvm()::logTail);
            Poll.until("the restarted instance to commit all input", Duration.ofSeconds(60),
                    () -> committedInputOffset() >= FRAMES, second.jvm()::logTail);
            Poll.sleep(2_000);
            actions.poll(Duration.ofMillis(1_000));
            List<ObservedEvent> events = ObservedEvent.decodeAll(actions.records());

            long firstUnread = captureOfOffset[(int) committedAtKill];
            int resumed = 0;
            for (long track : TRACKS) {
                List<Long> ends = new ArrayList<>();
                for (ObservedEvent event : events) {
                    assertEquals(DEVICE, event.deviceId());
                    if (event.trackId() == track) {
                        ends.add(event.windowEndMicros());
                        boolean afterRestart = !committedBeforeKill.contains(event.partition() + "@" + event.offset());
                        if (afterRestart && event.windowStartMicros() < firstUnread) {
                            resumed++;
                        }
                    }
                }
                assertEquals(expected.get(track), new ArrayList<>(new TreeSet<>(ends)),
                        "track " + track + ": window ends (gaps?)\n" + second.jvm().logTail());
                assertEquals(expected.get(track).size(), ends.size(), "track " + track + ": duplicates " + ends);
            }
            assertTrue(resumed > 0, "windows after the restart that reach back before the first frame the restarted"
                    + " instance read (capture " + firstUnread + ") show restored window state; found none");
            String page = second.get("/metrics");
            assertEquals(0.0, MetricsPage.value(page, "skelstream_window_restarts_total").orElse(-1),
                    "the restarted instance continued the tracks' windows rather than starting them afresh");
            System.out.printf("CrashSafetyIT: killed at committed input offset %d of %d; %d events before the kill,"
                    + " %d in all, exactly the %d expected; %d windows after the restart needed restored frames%n",
                    committedAtKill, FRAMES, committedBeforeKill.size(), events.size(), total, resumed);
        }
    }

    private static void send(RawProducer producer, byte[] key, long firstFrame, int i, long[] captureOfOffset) {
        long t = firstFrame + i * FRAME_MICROS;
        long offset = producer.send(PipelineUnderTest.POSES, key,
                PoseFrames.encode(PoseFrames.frame(DEVICE, t, i, TRACKS))).offset();
        if (offset != i) {
            throw new IllegalStateException("frame " + i + " landed at offset " + offset);
        }
        captureOfOffset[i] = t;
    }

    /** The application's committed offset on the poses partition (what the next instance resumes from). */
    private static long committedInputOffset() {
        try (Admin admin = broker.admin()) {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets(APPLICATION_ID)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                    .get(new TopicPartition(PipelineUnderTest.POSES, 0));
            return committed == null ? 0 : committed.offset();
        } catch (Exception e) {
            return 0;
        }
    }
}
