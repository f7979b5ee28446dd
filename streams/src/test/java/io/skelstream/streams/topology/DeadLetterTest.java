package io.skelstream.streams.topology;

import static io.skelstream.streams.topology.Frames.body;
import static io.skelstream.streams.topology.Frames.encode;
import static io.skelstream.streams.topology.Frames.ntu25;
import static io.skelstream.streams.topology.Frames.ntu25Frame;
import static io.skelstream.streams.topology.PipelineHarness.T0_MICROS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skelstream.schemas.avro.Body;
import io.skelstream.schemas.avro.DeadLetter;
import io.skelstream.schemas.avro.ErrorKind;
import io.skelstream.schemas.avro.PoseFrame;
import io.skelstream.streams.events.Micros;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadLetterTest {

    @TempDir
    Path stateDir;

    /** One bad input record and what its dead letter must say. */
    private record BadInput(ErrorKind kind, byte[] key, byte[] value, String reasonMentions) {
    }

    private static byte[] key(String device) {
        return device.getBytes(StandardCharsets.UTF_8);
    }

    private static PoseFrame good(String device, long sequence, long micros) {
        return ntu25Frame(device, sequence, micros, body(1, ntu25(0f, 3f, 0f)));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static List<BadInput> everyDecodeAndValidationError() {
        long t = T0_MICROS;
        byte[] valid = encode(good("cam-bad", 0, t));
        byte[] unknownFingerprint = valid.clone();
        Arrays.fill(unknownFingerprint, 2, 10, (byte) 0xAB);
        float[] nan = ntu25(0f, 1f, 0f);
        nan[7] = Float.NaN;
        float[] absurd = ntu25(0f, 1f, 0f);
        absurd[4] = 500f;
        Body badConfidence = new Body(1L, Frames.littleEndian(ntu25(0f, 1f, 0f)),
                Frames.littleEndian(filled(25, 2.0f)));
        Body[] seventeen = new Body[17];
        for (int i = 0; i < seventeen.length; i++) {
            seventeen[i] = body(i, ntu25(0f, 1f, 0f));
        }
        long future = (PipelineHarness.WALL_START.toEpochMilli() + 3_600_000L) * 1000;
        List<BadInput> inputs = new ArrayList<>();
        inputs.add(new BadInput(ErrorKind.EMPTY_MESSAGE, key("cam-bad"), new byte[0], "empty"));
        inputs.add(new BadInput(ErrorKind.BAD_MAGIC, key("cam-bad"), "{\"json\": 1}".getBytes(StandardCharsets.UTF_8),
                "C3 01"));
        inputs.add(new BadInput(ErrorKind.TRUNCATED, key("cam-bad"), new byte[] {(byte) 0xC3, 1, 5, 5}, "header"));
        inputs.add(new BadInput(ErrorKind.UNKNOWN_SCHEMA, key("cam-bad"), unknownFingerprint, "fingerprint"));
        inputs.add(new BadInput(ErrorKind.CORRUPT_BODY, key("cam-bad"), concat(valid, new byte[] {1, 2, 3}),
                "PoseFrame"));
        inputs.add(new BadInput(ErrorKind.KEY_MISMATCH, key("someone-else"), valid, "record key"));
        inputs.add(new BadInput(ErrorKind.EMPTY_FIELD, key(""), encode(good("", 0, t)), "device_id"));
        String longId = "x".repeat(300);
        inputs.add(new BadInput(ErrorKind.OVERSIZED_FIELD, key(longId), encode(good(longId, 0, t)), "device_id"));
        inputs.add(new BadInput(ErrorKind.UNKNOWN_LAYOUT, key("cam-bad"),
                encode(Frames.frame("cam-bad", 0, t, "kinect_v9", body(1, ntu25(0f, 1f, 0f)))), "kinect_v9"));
        inputs.add(new BadInput(ErrorKind.LAYOUT_MISMATCH, key("cam-bad"),
                encode(Frames.frame("cam-bad", 0, t, "coco17", body(1, Frames.uniform(17, 0.3f)))), "coco17"));
        inputs.add(new BadInput(ErrorKind.WRONG_JOINT_COUNT, key("cam-bad"),
                encode(ntu25Frame("cam-bad", 0, t, body(1, Frames.uniform(24, 0.3f)))), "bodies[0].joints"));
        inputs.add(new BadInput(ErrorKind.NON_FINITE, key("cam-bad"), encode(ntu25Frame("cam-bad", 0, t,
                body(1, nan))), "NaN"));
        inputs.add(new BadInput(ErrorKind.ABSURD_VALUE, key("cam-bad"), encode(ntu25Frame("cam-bad", 0, t,
                body(1, absurd))), "500.0"));
        inputs.add(new BadInput(ErrorKind.BAD_CONFIDENCE, key("cam-bad"), encode(ntu25Frame("cam-bad", 0, t,
                badConfidence)), "confidence"));
        inputs.add(new BadInput(ErrorKind.BAD_TIMESTAMP, key("cam-bad"), encode(good("cam-bad", 0, 0)),
                "capture_time"));
        inputs.add(new BadInput(ErrorKind.FUTURE_TIMESTAMP, key("cam-bad"), encode(good("cam-bad", 0, future)),
                "ahead of the clock"));
        inputs.add(new BadInput(ErrorKind.BAD_SEQUENCE, key("cam-bad"), encode(good("cam-bad", -3, t)), "-3"));
        inputs.add(new BadInput(ErrorKind.DUPLICATE_TRACK, key("cam-bad"), encode(ntu25Frame("cam-bad", 0, t,
                body(4, ntu25(0f, 1f, 0f)), body(4, ntu25(0f, 1f, 0f)))), "appears twice"));
        inputs.add(new BadInput(ErrorKind.TOO_MANY_BODIES, key("cam-bad"), encode(ntu25Frame("cam-bad", 0, t,
                seventeen)), "17 bodies"));
        return inputs;
    }

    private static float[] filled(int n, float value) {
        float[] values = new float[n];
        Arrays.fill(values, value);
        return values;
    }

    @Test
    void shouldDeadLetterEveryBadRecordWithItsKindReasonAndBytesAndKeepProcessing() {
        try (PipelineHarness pipeline = new PipelineHarness(Map.of(), stateDir)) {
            // given one record of every kind of bad input, then a good stream
            List<BadInput> inputs = everyDecodeAndValidationError();
            for (BadInput input : inputs) {
                pipeline.sendRaw(input.key(), input.value());
            }
            for (int i = 0; i < 12; i++) {
                pipeline.send(good("cam-good", i, SkelStreamTopologyTest.at30fps(i)));
            }

            // then every bad record is a dead letter, in order, naming what is wrong, with its exact bytes
            List<TestRecord<byte[], DeadLetter>> letters = pipeline.deadLetters.readRecordsToList();
            assertEquals(inputs.size(), letters.size());
            for (int i = 0; i < inputs.size(); i++) {
                BadInput input = inputs.get(i);
                DeadLetter letter = letters.get(i).value();
                assertEquals(input.kind(), letter.getErrorKind(), letter.getReason());
                assertTrue(letter.getReason().contains(input.reasonMentions()),
                        input.kind() + ": '" + letter.getReason() + "' should mention '" + input.reasonMentions() + "'");
                assertEquals("skel.poses", letter.getSourceTopic());
                assertEquals(0, letter.getPartition());
                assertEquals(i, letter.getOffset());
                assertArrayEquals(input.key(), bytes(letter.getKey()));
                assertArrayEquals(input.value(), bytes(letter.getValue()));
                assertArrayEquals(input.key(), letters.get(i).key());
                assertEquals(PipelineHarness.WALL_START, letter.getTime());
                assertEquals(1.0, pipeline.metric("skelstream_dead_letters", "kind", input.kind().name()),
                        input.kind().name());
            }
            // and the stream went on: the good device's windows became events
            assertFalse(pipeline.actions.readValuesToList().isEmpty());
            assertEquals(inputs.size() + 12.0, pipeline.metric("skelstream_frames_in"));
        }
    }

    @Test
    void shouldDeadLetterFramesLaterThanTheReorderToleranceAsLateFrames() {
        try (PipelineHarness pipeline = new PipelineHarness(Map.of("window.reorder.tolerance.ms", "50"), stateDir)) {
            // given a track whose newest frame is at frame 10
            for (int i = 0; i <= 10; i++) {
                pipeline.send(good("cam-1", i, SkelStreamTopologyTest.at30fps(i)));
            }
            // when a frame 4 frames (133 ms) older than that arrives with a new sequence number
            long lateMicros = SkelStreamTopologyTest.at30fps(6) + 10_000;
            PoseFrame late = good("cam-1", 11, lateMicros);
            pipeline.send(late);

            // then it is a LATE_FRAME dead letter naming the device, track and lag, and is counted
            List<DeadLetter> letters = pipeline.deadLetters.readValuesToList();
            assertEquals(1, letters.size());
            DeadLetter letter = letters.get(0);
            assertEquals(ErrorKind.LATE_FRAME, letter.getErrorKind());
            assertTrue(letter.getReason().contains("'cam-1' track 1"), letter.getReason());
            assertTrue(letter.getReason().contains("ms behind"), letter.getReason());
            assertEquals("cam-1", letter.getDeviceId());
            assertEquals(11, letter.getOffset());
            assertArrayEquals(encode(late), bytes(letter.getValue()));
            assertNotNull(letter.getKey());
            assertEquals(1.0, pipeline.metric("skelstream_frames_late"));
            assertEquals(1.0, pipeline.metric("skelstream_dead_letters", "kind", "LATE_FRAME"));
            assertEquals(lateMicros, Micros.of(late.getCaptureTime()));
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }
}
