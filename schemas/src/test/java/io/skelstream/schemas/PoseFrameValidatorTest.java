package io.skelstream.schemas;

import io.skelstream.schemas.avro.Body;
import io.skelstream.schemas.avro.ErrorKind;
import io.skelstream.schemas.avro.PoseFrame;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoseFrameValidatorTest {
    /** A clock ten seconds after the sample frames were captured. */
    private static final Clock CLOCK = Clock.fixed(SampleRecords.T0.plusSeconds(10), ZoneOffset.UTC);
    private static final PoseFrameValidator VALIDATOR =
            new PoseFrameValidator(SkeletonLayouts.bundled(), ValidationLimits.defaults(), CLOCK);

    private static InvalidFrameException rejected(Consumer<PoseFrame> breakIt) {
        PoseFrame frame = SampleRecords.poseFrame(1, "ntu25", 3);
        breakIt.accept(frame);
        return assertThrows(InvalidFrameException.class, () -> VALIDATOR.validate(frame));
    }

    private static void assertMessage(InvalidFrameException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' missing from: " + e.getMessage());
        }
    }

    @Test
    void shouldAcceptAndUnpackAValidFrame() {
        // given
        PoseFrame frame = SampleRecords.poseFrame(1, "ntu25", 3);
        // when
        ValidPoseFrame valid = VALIDATOR.validate("cam-1", frame);
        // then
        assertEquals("ntu25", valid.layout().name());
        assertEquals(3, valid.bodies().size());
        for (int b = 0; b < 3; b++) {
            Body body = frame.getBodies().get(b);
            assertEquals(body.getTrackId(), valid.bodies().get(b).trackId());
            assertArrayEquals(JointBytes.unpackJoints(body.getJoints(), valid.layout(), new BodyContext("cam-1", b, 0)),
                    valid.bodies().get(b).joints());
        }
        assertNull(valid.bodies().get(1).confidence());
        assertEquals(25, valid.bodies().get(0).confidence().length);
    }

    @Test
    void shouldAcceptAFrameWithNobodyInView() {
        PoseFrame frame = SampleRecords.poseFrame(1, "mediapipe33", 0);
        assertEquals(0, VALIDATOR.validate(frame).bodies().size());
    }

    @Test
    void shouldRejectAnEmptyOrHugeDeviceId() {
        assertEquals(ErrorKind.EMPTY_FIELD, rejected(f -> f.setDeviceId("")).kind());
        InvalidFrameException huge = rejected(f -> f.setDeviceId("d".repeat(300)));
        assertEquals(ErrorKind.OVERSIZED_FIELD, huge.kind());
        assertEquals("device_id", huge.field());
        assertMessage(huge, "300 UTF-8 bytes", "(300 chars)");
    }

    @Test
    void shouldRejectARecordKeyThatIsNotTheDeviceId() {
        PoseFrame frame = SampleRecords.poseFrame(1);
        InvalidFrameException e = assertThrows(InvalidFrameException.class, () -> VALIDATOR.validate("cam-2", frame));
        assertEquals(ErrorKind.KEY_MISMATCH, e.kind());
        assertMessage(e, "'cam-1'", "'cam-2'");
        assertEquals(ErrorKind.KEY_MISMATCH,
                assertThrows(InvalidFrameException.class, () -> VALIDATOR.validate(null, frame)).kind());
    }

    @Test
    void shouldRejectTimestampsAtTheEpochOrFarInTheFuture() {
        InvalidFrameException zero = rejected(f -> f.setCaptureTime(Instant.EPOCH));
        assertEquals(ErrorKind.BAD_TIMESTAMP, zero.kind());
        assertMessage(zero, "capture_time", "1970-01-01T00:00:00Z");
        assertEquals(ErrorKind.BAD_TIMESTAMP, rejected(f -> f.setCaptureTime(Instant.EPOCH.minusSeconds(1))).kind());
        InvalidFrameException future = rejected(f -> f.setCaptureTime(CLOCK.instant().plus(Duration.ofMinutes(6))));
        assertEquals(ErrorKind.FUTURE_TIMESTAMP, future.kind());
        assertMessage(future, "'cam-1'", "capture_time", "PT5M");
        // within the tolerance is fine
        PoseFrame slightlyAhead = SampleRecords.poseFrame(1);
        slightlyAhead.setCaptureTime(CLOCK.instant().plus(Duration.ofMinutes(4)));
        VALIDATOR.validate(slightlyAhead);
    }

    @Test
    void shouldRejectANegativeSequence() {
        InvalidFrameException e = rejected(f -> f.setSequence(-1L));
        assertEquals(ErrorKind.BAD_SEQUENCE, e.kind());
        assertEquals("sequence", e.field());
    }

    @Test
    void shouldRejectAnUnknownLayoutListingTheKnownOnes() {
        InvalidFrameException e = rejected(f -> f.setLayout("openpose25"));
        assertEquals(ErrorKind.UNKNOWN_LAYOUT, e.kind());
        assertMessage(e, "'openpose25'", "ntu25, kinect_v1_20, h36m17, coco17, mediapipe33");
        assertEquals(ErrorKind.EMPTY_FIELD, rejected(f -> f.setLayout("")).kind());
        assertEquals(ErrorKind.OVERSIZED_FIELD, rejected(f -> f.setLayout("x".repeat(65))).kind());
    }

    @Test
    void shouldRejectJointsOfAnotherLayout() {
        // given an ntu25 frame whose second body carries coco17 joints
        InvalidFrameException e = rejected(f -> f.getBodies().get(1)
                .setJoints(JointBytes.packJoints(new float[17 * 3])));
        assertEquals(ErrorKind.WRONG_JOINT_COUNT, e.kind());
        assertEquals("bodies[1].joints", e.field());
        assertEquals(101L, e.trackId().orElseThrow());
        assertMessage(e, "device 'cam-1' body 1 (track 101)", "204 bytes", "300");
    }

    @Test
    void shouldRejectNonFiniteAndAbsurdCoordinates() {
        InvalidFrameException nan = rejected(f -> f.getBodies().get(2).getJoints().putFloat(4 * (3 * 20 + 1), Float.NaN));
        assertEquals(ErrorKind.NON_FINITE, nan.kind());
        assertMessage(nan, "body 2 (track 102)", "joint 20 (SpineShoulder) y is NaN");
        InvalidFrameException far = rejected(f -> f.getBodies().get(0).getJoints().putFloat(0, 1e6f));
        assertEquals(ErrorKind.ABSURD_VALUE, far.kind());
        assertMessage(far, "joint 0 (SpineBase) x");
    }

    @Test
    void shouldRejectBadConfidence() {
        InvalidFrameException e = rejected(f -> f.getBodies().get(0).setConfidence(ByteBuffer.allocate(24 * 4)));
        assertEquals(ErrorKind.BAD_CONFIDENCE, e.kind());
        assertEquals("bodies[0].confidence", e.field());
    }

    @Test
    void shouldRejectDuplicateTracksAndTooManyBodies() {
        InvalidFrameException dup = rejected(f -> f.getBodies().get(2).setTrackId(100L));
        assertEquals(ErrorKind.DUPLICATE_TRACK, dup.kind());
        assertMessage(dup, "bodies[2].track_id 100 appears twice");
        PoseFrameValidator strict = new PoseFrameValidator(SkeletonLayouts.bundled(),
                ValidationLimits.defaults().withMaxBodies(2), CLOCK);
        PoseFrame three = SampleRecords.poseFrame(1, "ntu25", 3);
        assertEquals(ErrorKind.TOO_MANY_BODIES,
                assertThrows(InvalidFrameException.class, () -> strict.validate(three)).kind());
    }

    @Test
    void shouldEscapeControlCharactersOfAHostileDeviceIdInMessages() {
        PoseFrame frame = SampleRecords.poseFrame(1);
        frame.setDeviceId("evil\n\u001b[31m");
        List<Body> bodies = new ArrayList<>(frame.getBodies());
        bodies.get(0).setJoints(ByteBuffer.allocate(3));
        frame.setBodies(bodies);
        InvalidFrameException e = assertThrows(InvalidFrameException.class, () -> VALIDATOR.validate(frame));
        assertMessage(e, "'evil\\u000a\\u001b[31m'");
        assertTrue(e.getMessage().indexOf('\n') < 0);
    }
}
