package io.skelstream.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skelstream.encoder.ModelDescription;
import io.skelstream.it.badinput.MalformedCorpus;
import io.skelstream.it.badinput.MalformedMessage;
import io.skelstream.it.harness.ChildKafkaBroker;
import io.skelstream.it.harness.CommittedTopicReader;
import io.skelstream.it.harness.MetricsPage;
import io.skelstream.it.harness.ObservedEvent;
import io.skelstream.it.harness.PipelineUnderTest;
import io.skelstream.it.harness.Poll;
import io.skelstream.it.harness.RunningPipeline;
import io.skelstream.it.harness.PoseFrames;
import io.skelstream.it.harness.RawProducer;
import io.skelstream.it.harness.SkelStreamProcess;
import io.skelstream.it.harness.WindowGrid;
import io.skelstream.schemas.SkelSerdes;
import io.skelstream.schemas.avro.DeadLetter;
import io.skelstream.schemas.avro.ErrorKind;
import io.skelstream.schemas.avro.PoseFrame;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input never stops the pipeline and is never silently dropped (DESIGN.md, non-negotiables).
 *
 * <p>One good device streams 8 s of frames at 30 fps (even sequence numbers; the extra frames below use the odd
 * ones, so the device's sequence stays in order); between its frames the test sends a corpus of malformed
 * messages ({@link MalformedCorpus}: 28 kinds, from random bytes to a layout without a mapping), a frame of the good
 * device that is older than the reorder tolerance (LATE_FRAME), a repeat of one of its frames (same sequence: counted
 * and dropped, the README says, not dead-lettered) and a valid frame with an empty bodies list (nobody in view: not
 * an error). Then, per message: exactly one dead letter points at its partition and offset, carries its key and value
 * bytes unchanged and the expected ErrorKind; nothing else is dead-lettered; every window of the good device has its
 * action event; {@code /readyz} answered 200 at every probe throughout; {@code /metrics} counts the dead letters by
 * kind and the duplicate.
 */
class BadInputIT {

    private static final long HOP_MS = 500;
    private static final long TOLERANCE_MS = 100;
    private static final String GOOD_DEVICE = "good-01";
    private static final long FRAME_MICROS = 33_333;

    private static RunningPipeline pipeline;
    private static ChildKafkaBroker broker;
    private static SkelStreamProcess app;
    private static ModelDescription model;

    @BeforeAll
    static void start() {
        Path work = PipelineUnderTest.workDir("bad-input");
        model = PipelineUnderTest.describe(PipelineUnderTest.model());
        Map<String, String> settings = PipelineUnderTest.baseSettings("it-bad-input");
        settings.put("window.hop.ms", String.valueOf(HOP_MS));
        settings.put("window.reorder.tolerance.ms", String.valueOf(TOLERANCE_MS));
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
    void shouldDeadLetterEveryMalformedMessageWithItsKindAndKeepServingGoodFrames() throws Exception {
        long firstFrame = System.currentTimeMillis() * 1000 - 60_000_000L;
        List<MalformedMessage> corpus = new ArrayList<>(new MalformedCorpus(firstFrame, model.layout()).messages());
        int frames = 240;

        List<String> readinessFailures = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger probes = new java.util.concurrent.atomic.AtomicInteger();
        AtomicBoolean probing = new AtomicBoolean(true);
        Thread readiness = new Thread(() -> {
            while (probing.get()) {
                probes.incrementAndGet();
                if (app.get("/readyz") == null) {
                    readinessFailures.add(System.currentTimeMillis() + ": /readyz not 200");
                }
                Poll.sleep(100);
            }
        }, "readyz-probe");
        readiness.start();

        Map<String, MalformedMessage> byPosition = new HashMap<>();
        List<byte[]> goodValues = new ArrayList<>();
        long lastFrame = firstFrame;
        try (RawProducer producer = new RawProducer(broker.bootstrapServers())) {
            int next = 0;
            for (int i = 0; i < frames; i++) {
                long t = firstFrame + i * FRAME_MICROS;
                byte[] good = PoseFrames.encode(PoseFrames.frame(GOOD_DEVICE, t, 2L * i, 1));
                producer.send(PipelineUnderTest.POSES, bytes(GOOD_DEVICE), good);
                goodValues.add(good);
                lastFrame = t;
                if (i % 6 == 5 && next < corpus.size()) {
                    MalformedMessage bad = corpus.get(next++);
                    record(byPosition, producer.send(PipelineUnderTest.POSES, bad.key(), bad.value()), bad);
                }
                if (i == 150) {
                    // the good device's own frame, 1 s behind its newest: beyond the 100 ms reorder tolerance
                    PoseFrame late = PoseFrames.frame(GOOD_DEVICE, t - 1_000_000L, 2L * i + 1, 1);
                    MalformedMessage lateFrame = new MalformedMessage("late-frame", bytes(GOOD_DEVICE),
                            PoseFrames.encode(late), ErrorKind.LATE_FRAME);
                    record(byPosition, producer.send(PipelineUnderTest.POSES, lateFrame.key(), lateFrame.value()),
                            lateFrame);
                }
                if (i == 160) {
                    // a device resending frame 157 (same sequence number): a duplicate, counted and dropped
                    MalformedMessage repeat = new MalformedMessage("repeated-sequence", bytes(GOOD_DEVICE),
                            goodValues.get(157), null);
                    record(byPosition, producer.send(PipelineUnderTest.POSES, repeat.key(), repeat.value()), repeat);
                }
                if (i == 170) {
                    PoseFrame empty = PoseFrames.frame(GOOD_DEVICE, t + FRAME_MICROS / 2, 2L * i + 1);
                    MalformedMessage nobody = new MalformedMessage("empty-bodies-list", bytes(GOOD_DEVICE),
                            PoseFrames.encode(empty), null);
                    record(byPosition, producer.send(PipelineUnderTest.POSES, nobody.key(), nobody.value()), nobody);
                }
            }
            assertEquals(corpus.size(), next, "the good stream is long enough to carry the whole corpus");
        }

        long expectedLetters = byPosition.values().stream().filter(m -> m.expected() != null).count();
        List<Long> expectedEnds = WindowGrid.of(model, HOP_MS, TOLERANCE_MS)
                .expectedEnds(firstFrame, lastFrame, FRAME_MICROS);
        try (CommittedTopicReader letters = new CommittedTopicReader(broker.bootstrapServers(),
                PipelineUnderTest.DEAD_LETTERS);
             CommittedTopicReader actions = new CommittedTopicReader(broker.bootstrapServers(),
                     PipelineUnderTest.ACTIONS)) {
            Poll.until(expectedLetters + " dead letters and " + expectedEnds.size() + " events of " + GOOD_DEVICE,
                    Duration.ofSeconds(90),
                    () -> letters.poll(Duration.ofMillis(200)).size() >= expectedLetters
                            && actions.poll(Duration.ofMillis(200)).size() >= expectedEnds.size(),
                    () -> "dead letters so far: " + letters.records().size() + ", events: " + actions.records().size()
                            + "\n" + app.jvm().logTail());
            // anything extra (a second letter for one message) would arrive within the same commits; look again
            Poll.sleep(2_000);
            letters.poll(Duration.ofMillis(500));
            actions.poll(Duration.ofMillis(500));

            checkDeadLetters(letters.records(), byPosition);
            checkGoodWindows(actions.records(), expectedEnds);
        } finally {
            probing.set(false);
            readiness.join(5_000);
        }
        assertTrue(readinessFailures.isEmpty(), "the app left RUNNING during the bad input: " + readinessFailures
                + "\n" + app.jvm().logTail());
        assertEquals("RUNNING", readyState(), "state after the corpus");
        checkMetrics(byPosition);
        System.out.printf("BadInputIT: %d bad messages of %d kinds dead-lettered as expected (partition, offset,"
                + " key and value bytes, ErrorKind), 1 duplicate counted and dropped, 1 empty frame accepted; all %d"
                + " windows of %s produced; /readyz 200 at %d probes%n", expectedLetters,
                byPosition.values().stream().filter(m -> m.expected() != null).map(MalformedMessage::name).distinct()
                        .count(), expectedEnds.size(), GOOD_DEVICE, probes.get());
    }

    private static void checkDeadLetters(List<ConsumerRecord<byte[], byte[]>> records,
                                         Map<String, MalformedMessage> byPosition) {
        Map<String, DeadLetter> seen = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            DeadLetter letter = SkelSerdes.deadLetter().codec().decode(record.value());
            String position = letter.getPartition() + "@" + letter.getOffset();
            assertEquals(PipelineUnderTest.POSES, letter.getSourceTopic(), "source topic of " + position);
            MalformedMessage message = byPosition.get(position);
            assertNotNull(message, "dead letter for " + position + " that the test did not send as bad: "
                    + letter.getErrorKind() + " " + letter.getReason());
            assertTrue(message.expected() != null, message.name() + " must not be dead-lettered (the README counts"
                    + " and drops it / it is valid), got " + letter.getErrorKind() + ": " + letter.getReason());
            DeadLetter previous = seen.put(position, letter);
            assertTrue(previous == null, "two dead letters for " + message.name() + " at " + position);
            assertEquals(message.expected(), letter.getErrorKind(), message.name() + ": " + letter.getReason());
            assertArrayEquals(message.value(), bytesOf(letter.getValue()), message.name() + ": value bytes as sent");
            assertArrayEquals(message.key(), bytesOf(letter.getKey()), message.name() + ": key bytes as sent");
            assertTrue(letter.getReason() != null && !letter.getReason().isBlank(), message.name() + ": no reason");
        }
        for (Map.Entry<String, MalformedMessage> sent : byPosition.entrySet()) {
            if (sent.getValue().expected() != null) {
                assertTrue(seen.containsKey(sent.getKey()), "no dead letter for " + sent.getValue().name() + " at "
                        + sent.getKey() + "\n" + app.jvm().logTail());
            }
        }
        assertTrue(seen.size() >= 20, "at least 20 kinds of bad message, got " + seen.size());
    }

    private static void checkGoodWindows(List<ConsumerRecord<byte[], byte[]>> records, List<Long> expectedEnds) {
        List<Long> ends = new ArrayList<>();
        for (ObservedEvent event : ObservedEvent.decodeAll(records)) {
            assertEquals(GOOD_DEVICE, event.deviceId(), "only the good device has windows");
            assertEquals(1, event.trackId(), "track of " + event);
            ends.add(event.windowEndMicros());
        }
        assertEquals(expectedEnds, new ArrayList<>(new TreeSet<>(ends)), "window ends of " + GOOD_DEVICE);
        assertEquals(expectedEnds.size(), ends.size(), "one event per window, no duplicates: " + ends);
    }

    private static void checkMetrics(Map<String, MalformedMessage> byPosition) {
        Map<ErrorKind, Integer> expected = new EnumMap<>(ErrorKind.class);
        byPosition.values().stream().filter(m -> m.expected() != null)
                .forEach(m -> expected.merge(m.expected(), 1, Integer::sum));
        String page = app.get("/metrics");
        assertNotNull(page, "/metrics did not answer\n" + app.jvm().logTail());
        for (Map.Entry<ErrorKind, Integer> kind : expected.entrySet()) {
            String series = "skelstream_dead_letters_total{kind=\"" + kind.getKey() + "\"}";
            assertEquals(kind.getValue().doubleValue(), MetricsPage.value(page, series).orElse(-1), series);
        }
        assertEquals(1.0, MetricsPage.value(page, "skelstream_frames_duplicate_total").orElse(-1),
                "the repeated sequence number is counted as a duplicate");
        assertEquals(1.0, MetricsPage.value(page, "skelstream_frames_late_total").orElse(-1), "the late frame");
    }

    private static String readyState() {
        String body = app.get("/readyz");
        return body != null && body.contains("\"state\":\"RUNNING\"") ? "RUNNING" : String.valueOf(body);
    }

    private static void record(Map<String, MalformedMessage> byPosition, RecordMetadata where, MalformedMessage m) {
        byPosition.put(where.partition() + "@" + where.offset(), m);
    }

    private static byte[] bytesOf(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
