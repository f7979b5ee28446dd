package io.skelstream.schemas;

import io.skelstream.schemas.avro.ErrorKind;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JointBytesTest {
    private static final SkeletonLayout COCO = SkeletonLayouts.bundled().get("coco17");
    private static final BodyContext WHERE = new BodyContext("cab-42", 1, 7L);

    private static ByteBuffer cocoWith(int floatIndex, float value) {
        float[] xyz = SampleRecords.joints(new Random(1), COCO.jointCount());
        ByteBuffer bytes = JointBytes.packJoints(xyz);
        bytes.putFloat(floatIndex * 4, value); // bypass the packer's own checks
        return bytes;
    }

    @Test
    void shouldWriteLittleEndianFloat32JointMajor() {
        // given x=1.0, y=-2.0, z=0.5 for one joint
        ByteBuffer packed = JointBytes.packJoints(new float[]{1.0f, -2.0f, 0.5f});
        byte[] bytes = new byte[packed.remaining()];
        packed.duplicate().get(bytes);
        // then: IEEE-754 little-endian 0x3F800000, 0xC0000000, 0x3F000000
        assertArrayEquals(new byte[]{0, 0, (byte) 0x80, 0x3F, 0, 0, 0, (byte) 0xC0, 0, 0, 0, 0x3F}, bytes);
    }

    @Test
    void shouldRoundTripJointsAndConfidence() {
        Random random = new Random(9);
        float[] xyz = SampleRecords.joints(random, COCO.jointCount());
        float[] conf = SampleRecords.confidence(random, COCO.jointCount());
        assertArrayEquals(xyz, JointBytes.unpackJoints(JointBytes.packJoints(xyz), COCO, WHERE));
        assertArrayEquals(conf, JointBytes.unpackConfidence(JointBytes.packConfidence(conf), COCO, WHERE));
        assertNull(JointBytes.unpackConfidence(null, COCO, WHERE));
    }

    @Test
    void shouldReadFromTheBuffersPositionWithoutMovingIt() {
        // given joints that sit at offset 5 of a larger buffer (as in a reused Avro buffer)
        float[] xyz = SampleRecords.joints(new Random(2), COCO.jointCount());
        ByteBuffer packed = JointBytes.packJoints(xyz);
        ByteBuffer big = ByteBuffer.allocate(5 + packed.remaining() + 3);
        big.position(5);
        big.put(packed.duplicate());
        big.position(5).limit(5 + packed.remaining());
        // when
        float[] out = new float[xyz.length + 6];
        JointBytes.unpackJoints(big, COCO, WHERE, 100f, out, 6);
        // then
        for (int k = 0; k < xyz.length; k++) {
            assertEquals(xyz[k], out[6 + k]);
        }
        assertEquals(5, big.position());
    }

    @Test
    void shouldRejectTheWrongByteLengthNamingDeviceTrackAndField() {
        InvalidFrameException e = assertThrows(InvalidFrameException.class,
                () -> JointBytes.unpackJoints(ByteBuffer.allocate(COCO.jointBytes() + 4), COCO, WHERE));
        assertEquals(ErrorKind.WRONG_JOINT_COUNT, e.kind());
        assertEquals("bodies[1].joints", e.field());
        assertEquals(7L, e.trackId().orElseThrow());
        assertEquals("cab-42", e.deviceId());
        assertTrue(e.getMessage().contains("'cab-42'") && e.getMessage().contains("track 7")
                && e.getMessage().contains("208 bytes") && e.getMessage().contains("204"), e.getMessage());
    }

    @Test
    void shouldRejectNanAndInfinityNamingTheJointAndAxis() {
        InvalidFrameException nan = assertThrows(InvalidFrameException.class,
                () -> JointBytes.unpackJoints(cocoWith(3 * 9 + 2, Float.NaN), COCO, WHERE));
        assertEquals(ErrorKind.NON_FINITE, nan.kind());
        assertTrue(nan.getMessage().contains("joint 9 (left_wrist) z is NaN"), nan.getMessage());
        InvalidFrameException inf = assertThrows(InvalidFrameException.class,
                () -> JointBytes.unpackJoints(cocoWith(0, Float.NEGATIVE_INFINITY), COCO, WHERE));
        assertEquals(ErrorKind.NON_FINITE, inf.kind());
        assertTrue(inf.getMessage().contains("joint 0 (nose) x is -Infinity"), inf.getMessage());
    }

    @Test
    void shouldRejectCoordinatesBeyondOneHundredMetres() {
        // 100 m exactly is accepted, just beyond it is not
        JointBytes.unpackJoints(cocoWith(4, 100f), COCO, WHERE);
        InvalidFrameException e = assertThrows(InvalidFrameException.class,
                () -> JointBytes.unpackJoints(cocoWith(4, -100.01f), COCO, WHERE));
        assertEquals(ErrorKind.ABSURD_VALUE, e.kind());
        assertTrue(e.getMessage().contains("joint 1 (left_eye) y") && e.getMessage().contains("100.0 m"), e.getMessage());
    }

    @Test
    void shouldRejectBadConfidence() {
        float[] conf = SampleRecords.confidence(new Random(4), COCO.jointCount());
        ByteBuffer wrongLength = JointBytes.packConfidence(new float[COCO.jointCount() - 1]);
        assertEquals(ErrorKind.BAD_CONFIDENCE, assertThrows(InvalidFrameException.class,
                () -> JointBytes.unpackConfidence(wrongLength, COCO, WHERE)).kind());
        for (float bad : new float[]{-0.01f, 1.5f, Float.NaN}) {
            ByteBuffer bytes = JointBytes.packConfidence(conf);
            bytes.putFloat(4 * 3, bad);
            InvalidFrameException e = assertThrows(InvalidFrameException.class,
                    () -> JointBytes.unpackConfidence(bytes, COCO, WHERE));
            assertEquals(ErrorKind.BAD_CONFIDENCE, e.kind());
            assertEquals("bodies[1].confidence", e.field());
            assertTrue(e.getMessage().contains("joint 3 (left_ear)"), e.getMessage());
        }
    }

    @Test
    void shouldRefuseToPackValuesAConsumerWouldReject() {
        assertThrows(IllegalArgumentException.class, () -> JointBytes.packJoints(new float[]{0f, Float.NaN, 0f}));
        assertThrows(IllegalArgumentException.class, () -> JointBytes.packJoints(new float[]{0f, 0f, 150f}));
        assertThrows(IllegalArgumentException.class, () -> JointBytes.packJoints(new float[]{0f, 0f}));
        assertThrows(IllegalArgumentException.class, () -> JointBytes.packConfidence(new float[]{1.01f}));
    }
}
