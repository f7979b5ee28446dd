package io.skelstream.schemas;

import io.skelstream.schemas.avro.ActionEvent;
import io.skelstream.schemas.avro.Alert;
import io.skelstream.schemas.avro.AlertState;
import io.skelstream.schemas.avro.DeadLetter;
import io.skelstream.schemas.avro.PoseFrame;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class SingleObjectCodecRoundTripTest {

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> T roundTrip(SingleObjectSerde<T> serde, T record) {
        byte[] bytes = serde.serializer().serialize("topic", record);
        return serde.deserializer().deserialize("topic", bytes);
    }

    @Test
    void shouldRoundTripPoseFramesOfEveryLayout() {
        for (String layout : SkeletonLayouts.bundled().names()) {
            // given a frame with 0..3 bodies, some with confidence
            for (int bodies = 0; bodies <= 3; bodies++) {
                PoseFrame frame = SampleRecords.poseFrame(bodies + 11, layout, bodies);
                // when / then
                assertEquals(frame, roundTrip(SkelSerdes.poseFrame(), frame), layout + " with " + bodies + " bodies");
            }
        }
    }

    @Test
    void shouldRoundTripActionEvents() {
        ActionEvent event = SampleRecords.actionEvent();
        assertEquals(event, roundTrip(SkelSerdes.actionEvent(), event));
    }

    @Test
    void shouldRoundTripAlertsInBothStates() {
        for (AlertState state : AlertState.values()) {
            Alert alert = SampleRecords.alert(state);
            assertEquals(alert, roundTrip(SkelSerdes.alert(), alert));
        }
    }

    @Test
    void shouldRoundTripDeadLettersWithAndWithoutRawBytes() {
        for (boolean withBytes : new boolean[]{true, false}) {
            DeadLetter letter = SampleRecords.deadLetter(withBytes);
            assertEquals(letter, roundTrip(SkelSerdes.deadLetter(), letter));
        }
    }

    @Test
    void shouldKeepMicrosecondPrecisionOfTimestamps() {
        // given a capture time with microseconds
        PoseFrame frame = SampleRecords.poseFrame(1);
        // when
        PoseFrame back = roundTrip(SkelSerdes.poseFrame(), frame);
        // then
        assertEquals(SampleRecords.T0.plusMillis(33), back.getCaptureTime());
        assertEquals(156_456_000, back.getCaptureTime().getNano(), "microseconds survive");
    }

    @Test
    void shouldWriteTheSpecHeaderThatAvrosOwnDecoderReads() throws Exception {
        // given our encoding of a frame
        PoseFrame frame = SampleRecords.poseFrame(5);
        byte[] ours = SkelSerdes.poseFrame().serialize("skel.poses", frame);
        // then the header is C3 01 + little-endian CRC-64-AVRO of the schema
        assertEquals((byte) 0xC3, ours[0]);
        assertEquals((byte) 0x01, ours[1]);
        long fingerprint = SingleObjectCodec.fingerprint(PoseFrame.getClassSchema());
        for (int i = 0; i < 8; i++) {
            assertEquals((byte) (fingerprint >>> (8 * i)), ours[2 + i], "fingerprint byte " + i);
        }
        // and Avro's reference single-object encoder and decoder agree with us both ways
        assertEquals(frame, PoseFrame.getDecoder().decode(ours));
        ByteBuffer reference = frame.toByteBuffer();
        byte[] referenceBytes = new byte[reference.remaining()];
        reference.get(referenceBytes);
        assertArrayEquals(referenceBytes, ours);
    }

    @Test
    void shouldPassNullValuesThroughAsKafkaTombstones() {
        assertNull(SkelSerdes.poseFrame().serialize("t", null));
        assertNull(SkelSerdes.poseFrame().deserialize("t", null));
    }
}
