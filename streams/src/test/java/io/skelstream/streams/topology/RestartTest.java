package io.skelstream.streams.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skelstream.schemas.avro.ActionEvent;
import io.skelstream.schemas.avro.PoseFrame;
import io.skelstream.streams.events.Micros;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.BytesDeserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash and restart. Kafka Streams rebuilds a task's stores by replaying their changelog topics; under exactly-once
 * a crashed instance wipes its local state and does exactly that. TopologyTestDriver does not restore, so this test
 * does what the restoration does: it replays every changelog record the first driver committed into the stores of a
 * second driver (fresh state directory) before it processes anything, then shows the pipeline continues: the window
 * that was due but not yet inferred at the crash is inferred once, and the next window is built from frames sent
 * before and after the restart.
 */
class RestartTest {

    static final List<String> STORES = List.of("track-frames", "track-state", "device-sequence", "pending-windows",
            "track-smoothing", "track-alerts");
    static final long SPAN_MICROS = 233_334;
    static final long HOP_MICROS = 133_333;

    @TempDir
    Path firstStateDir;
    @TempDir
    Path secondStateDir;

    @Test
    void shouldRestoreWindowStateFromTheChangelogsAndContinue() {
        // Windows wait in the pending store until 64 are due or 50 ms of wall clock pass.
        Map<String, String> settings = Map.of("batch.max.size", "64", "batch.max.wait.ms", "50");
        Map<String, List<KeyValue<Bytes, byte[]>>> changelogs = new LinkedHashMap<>();
        try (PipelineHarness first = new PipelineHarness(settings, firstStateDir)) {
            // given frames 0..8: window 0 (frames 0..7) is due, and still pending, when the instance dies
            for (int i = 0; i < 9; i++) {
                first.send(rampFrame(i));
            }
            assertTrue(first.actions.isEmpty());
            for (String store : STORES) {
                changelogs.put(store, first.driver.createOutputTopic(changelog(store), new BytesDeserializer(),
                        new ByteArrayDeserializer()).readKeyValuesToList());
            }
        }
        assertFalse(changelogs.get("pending-windows").isEmpty(), "the pending window is in the changelog");
        assertEquals(9, changelogs.get("track-frames").size(), "one changelog record per frame");

        try (PipelineHarness second = new PipelineHarness(settings, secondStateDir)) {
            restore(second, changelogs);

            // when the restarted instance's batch wait passes
            second.advanceWallClock(Duration.ofMillis(60));

            // then the window pending at the crash is inferred now, once
            List<ActionEvent> restored = second.actions.readValuesToList();
            assertEquals(1, restored.size());
            assertEquals(windowEnd(0), Micros.of(restored.get(0).getWindowEnd()));
            assertEquals(expectedWave(0), restored.get(0).getConfidence(), 2e-6);

            // and the next window (frames 4..11) mixes frames from before and after the restart, exactly
            for (int i = 9; i < 13; i++) {
                second.send(rampFrame(i));
            }
            second.advanceWallClock(Duration.ofMillis(60));
            List<ActionEvent> next = second.actions.readValuesToList();
            assertEquals(1, next.size());
            assertEquals(windowEnd(1), Micros.of(next.get(0).getWindowEnd()));
            assertEquals(expectedWave(1), next.get(0).getConfidence(), 2e-6);

            // and the device's sequence numbers survived too: a frame re-sent from before the crash is a duplicate
            second.send(rampFrame(3));
            assertEquals(1.0, second.metric("skelstream_frames_duplicate"));
            assertTrue(second.deadLetters.isEmpty());
        }
    }

    private static void restore(PipelineHarness pipeline, Map<String, List<KeyValue<Bytes, byte[]>>> changelogs) {
        changelogs.forEach((name, records) -> {
            KeyValueStore<Bytes, byte[]> store = pipeline.driver.getKeyValueStore(name);
            for (KeyValue<Bytes, byte[]> record : records) {
                if (record.value == null) {
                    store.delete(record.key);
                } else {
                    store.put(record.key, record.value);
                }
            }
        });
    }

    private static String changelog(String store) {
        return "skelstream-test-" + store + "-changelog";
    }

    /** The ramp of TrackWindowTest: the wave joint's x = 2 + 2 m/s * t, 30 fps, hop 4 frames. */
    static PoseFrame rampFrame(int i) {
        long micros = PipelineHarness.T0_MICROS + Math.round(i * 1e6 / 30);
        float x = (float) (2.0 + 2.0 * (micros - PipelineHarness.T0_MICROS) / 1e6);
        return Frames.ntu25Frame("cam-1", i, micros, Frames.body(1, Frames.ntu25(0f, x, 0f)));
    }

    static long windowEnd(int k) {
        return PipelineHarness.T0_MICROS + SPAN_MICROS + k * HOP_MICROS;
    }

    static double expectedWave(int k) {
        double meanSeconds = (windowEnd(k) - PipelineHarness.T0_MICROS) / 1e6 - 3.5 / 30;
        return Frames.softmax(0, 2.0 + 2.0 * meanSeconds, 0, 0)[1];
    }
}
