package io.skelstream.schemas;

import io.skelstream.schemas.avro.ErrorKind;
import io.skelstream.schemas.avro.PoseFrame;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The deserializer either returns a record or throws RecordDecodeException: nothing else, whatever the bytes. */
class DeserializerRobustnessTest {
    private static final SingleObjectSerde<PoseFrame> SERDE = SkelSerdes.poseFrame();
    private static final Set<ErrorKind> DECODE_KINDS = EnumSet.of(ErrorKind.EMPTY_MESSAGE, ErrorKind.BAD_MAGIC,
            ErrorKind.UNKNOWN_SCHEMA, ErrorKind.TRUNCATED, ErrorKind.CORRUPT_BODY);

    /** Decodes; returns the typed error or null on success; fails the test on any other throwable. */
    private static RecordDecodeException decodeOutcome(byte[] message, String what) {
        try {
            SERDE.deserialize("skel.poses", message);
            return null;
        } catch (RecordDecodeException e) {
            assertTrue(DECODE_KINDS.contains(e.kind()), what + ": kind " + e.kind());
            assertTrue(e.getMessage().startsWith("PoseFrame: "), what + ": " + e.getMessage());
            return e;
        } catch (Throwable t) {
            throw new AssertionError(what + ": untyped " + t, t);
        }
    }

    private static byte[] header() {
        byte[] valid = SERDE.serialize("skel.poses", SampleRecords.poseFrame(1));
        return Arrays.copyOf(valid, SingleObjectCodec.HEADER_LENGTH);
    }

    /** Header of the current PoseFrame schema followed by a body written by hand. */
    private static byte[] withBody(Consumer<BinaryEncoder> body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(header());
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        body.accept(encoder);
        encoder.flush();
        return out.toByteArray();
    }

    @Test
    void shouldRaiseOnlyTypedErrorsForRandomBytes() {
        for (long seed = 0; seed < 3000; seed++) {
            // given random bytes of random length
            Random random = new Random(seed);
            byte[] message = new byte[random.nextInt(300)];
            random.nextBytes(message);
            // when / then
            decodeOutcome(message, "seed " + seed);
        }
    }

    @Test
    void shouldRaiseOnlyTypedErrorsForRandomBodiesBehindAValidHeader() {
        byte[] header = header();
        int rejected = 0;
        for (long seed = 0; seed < 3000; seed++) {
            // given the real header and a random body: the scanner and Avro both see garbage
            Random random = new Random(seed);
            byte[] message = Arrays.copyOf(header, header.length + random.nextInt(400));
            for (int i = header.length; i < message.length; i++) {
                message[i] = (byte) random.nextInt(256);
            }
            if (decodeOutcome(message, "seed " + seed) != null) {
                rejected++;
            }
        }
        assertTrue(rejected > 2900, "nearly all random bodies must be rejected, got " + rejected);
    }

    @Test
    void shouldRaiseOnlyTypedErrorsForRandomlyCorruptedValidMessages() {
        for (long seed = 0; seed < 2000; seed++) {
            // given a valid message with 1-4 bytes changed in the body
            Random random = new Random(seed);
            byte[] message = SERDE.serialize("skel.poses", SampleRecords.poseFrame(seed, "coco17", 1 + random.nextInt(3)));
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                int at = SingleObjectCodec.HEADER_LENGTH + random.nextInt(message.length - SingleObjectCodec.HEADER_LENGTH);
                message[at] = (byte) random.nextInt(256);
            }
            // when / then: a record (a flip inside float bytes is still a well-formed body) or a typed error
            decodeOutcome(message, "seed " + seed);
        }
    }

    @Test
    void shouldReportEveryTruncationAsTruncated() {
        // given a valid message with several bodies
        byte[] valid = SERDE.serialize("skel.poses", SampleRecords.poseFrame(3, "ntu25", 3));
        for (int length = 1; length < valid.length; length++) {
            // when only a prefix arrives
            RecordDecodeException e = decodeOutcome(Arrays.copyOf(valid, length), "prefix " + length);
            // then
            assertTrue(e != null && e.kind() == ErrorKind.TRUNCATED, "prefix " + length + ": " + e);
        }
        assertEquals(ErrorKind.EMPTY_MESSAGE, decodeOutcome(new byte[0], "empty").kind());
    }

    @Test
    void shouldNameTheFieldWhereTheBodyWasCut() {
        byte[] valid = SERDE.serialize("skel.poses", SampleRecords.poseFrame(3, "ntu25", 2));
        RecordDecodeException e = decodeOutcome(Arrays.copyOf(valid, valid.length - 150), "cut in joints");
        assertTrue(e.getMessage().contains("bodies[1]."), e.getMessage());
    }

    @Test
    void shouldRejectAWrongMagicAndSayWhatItLooksLike() {
        // given a JSON value sent to the topic by mistake
        byte[] json = "{\"device_id\": \"cam-1\"}".getBytes(StandardCharsets.UTF_8);
        // when
        RecordDecodeException e = decodeOutcome(json, "json");
        // then
        assertEquals(ErrorKind.BAD_MAGIC, e.kind());
        assertTrue(e.getMessage().contains("C3 01") && e.getMessage().contains("7B 22")
                && e.getMessage().contains("JSON"), e.getMessage());
        assertFalse(e.fingerprint().isPresent());
    }

    @Test
    void shouldRejectTheWrongSecondMarkerByte() {
        byte[] message = SERDE.serialize("skel.poses", SampleRecords.poseFrame(2));
        message[1] = 0x02;
        assertEquals(ErrorKind.BAD_MAGIC, decodeOutcome(message, "format 2").kind());
    }

    @Test
    void shouldRejectAnUnknownFingerprintNamingItAndTheKnownOnes() {
        // given a valid message whose fingerprint was changed
        byte[] message = SERDE.serialize("skel.poses", SampleRecords.poseFrame(2));
        message[5] ^= 0x5a;
        // when
        RecordDecodeException e = decodeOutcome(message, "fingerprint");
        // then
        assertEquals(ErrorKind.UNKNOWN_SCHEMA, e.kind());
        long sent = e.fingerprint().orElseThrow();
        assertTrue(e.getMessage().contains(SingleObjectCodec.fingerprintHex(sent)), e.getMessage());
        for (long known : SERDE.codec().knownFingerprints()) {
            assertTrue(e.getMessage().contains(SingleObjectCodec.fingerprintHex(known)), e.getMessage());
        }
    }

    @Test
    void shouldRejectAGiantDeclaredLengthWithoutAllocatingIt() throws IOException {
        // given a body whose device_id claims 2^31 - 9 bytes (Avro would allocate before reading)
        byte[] message = withBody(e -> {
            try {
                e.writeLong(Integer.MAX_VALUE - 9L);
            } catch (IOException x) {
                throw new AssertionError(x);
            }
        });
        // when / then: TRUNCATED, at once, no OutOfMemoryError
        RecordDecodeException e = decodeOutcome(message, "giant string");
        assertEquals(ErrorKind.TRUNCATED, e.kind());
        assertTrue(e.getMessage().contains("device_id") && e.getMessage().contains("2147483638"), e.getMessage());
    }

    @Test
    void shouldRejectAGiantArrayCountWithoutAllocatingIt() throws IOException {
        // given a valid frame header whose bodies array claims 2^40 items
        byte[] message = withBody(e -> {
            try {
                e.writeString("cam-1");
                e.writeLong(1_700_000_000_000_000L);
                e.writeLong(1);
                e.writeString("ntu25");
                e.writeLong(1L << 40);
            } catch (IOException x) {
                throw new AssertionError(x);
            }
        });
        RecordDecodeException e = decodeOutcome(message, "giant array");
        assertEquals(ErrorKind.TRUNCATED, e.kind());
        assertTrue(e.getMessage().contains("bodies"), e.getMessage());
    }

    @Test
    void shouldRejectANegativeLengthAsCorrupt() throws IOException {
        byte[] message = withBody(e -> {
            try {
                e.writeLong(-5);
                e.writeFixed(new byte[40]);
            } catch (IOException x) {
                throw new AssertionError(x);
            }
        });
        RecordDecodeException e = decodeOutcome(message, "negative length");
        assertEquals(ErrorKind.CORRUPT_BODY, e.kind());
        assertTrue(e.getMessage().contains("negative"), e.getMessage());
    }

    @Test
    void shouldRejectTrailingBytesAsCorrupt() {
        byte[] valid = SERDE.serialize("skel.poses", SampleRecords.poseFrame(4));
        RecordDecodeException e = decodeOutcome(Arrays.copyOf(valid, valid.length + 3), "trailing");
        assertEquals(ErrorKind.CORRUPT_BODY, e.kind());
        assertTrue(e.getMessage().contains("3 bytes left over"), e.getMessage());
    }

    @Test
    void shouldRejectInvalidUtf8InAString() throws IOException {
        byte[] message = withBody(e -> {
            try {
                e.writeBytes(new byte[]{'c', (byte) 0xff, (byte) 0xfe});
            } catch (IOException x) {
                throw new AssertionError(x);
            }
        });
        RecordDecodeException e = decodeOutcome(message, "utf8");
        assertEquals(ErrorKind.CORRUPT_BODY, e.kind());
        assertTrue(e.getMessage().contains("device_id") && e.getMessage().contains("UTF-8"), e.getMessage());
    }

    @Test
    void shouldRaiseEmptyMessageFromTheCodecForNull() {
        RecordDecodeException e = assertThrows(RecordDecodeException.class, () -> SERDE.codec().decode(null));
        assertEquals(ErrorKind.EMPTY_MESSAGE, e.kind());
    }

    @Test
    void shouldGiveTypedErrorsForNanJointsAndWrongJointLengthFromTheValidatingDeserializer() {
        ValidatingPoseFrameDeserializer deserializer = new ValidatingPoseFrameDeserializer(PoseFrameValidator.withDefaults());
        // given a frame with a NaN coordinate (written by a producer that skipped the checks)
        PoseFrame nan = SampleRecords.poseFrame(6, "h36m17", 1);
        nan.getBodies().get(0).getJoints().putFloat(4 * 7, Float.NaN);
        // and a frame whose joints are one float short
        PoseFrame shortJoints = SampleRecords.poseFrame(6, "h36m17", 1);
        shortJoints.getBodies().get(0).setJoints(java.nio.ByteBuffer.wrap(new byte[17 * 12 - 4]));
        // when / then
        InvalidFrameException e1 = assertThrows(InvalidFrameException.class,
                () -> deserializer.deserialize("skel.poses", SERDE.serialize("skel.poses", nan)));
        assertEquals(ErrorKind.NON_FINITE, e1.kind());
        assertTrue(e1.getMessage().contains("cam-6") && e1.getMessage().contains("bodies[0].joints")
                && e1.getMessage().contains("joint 2 (RKnee) y"), e1.getMessage());
        InvalidFrameException e2 = assertThrows(InvalidFrameException.class,
                () -> deserializer.deserialize("skel.poses", SERDE.serialize("skel.poses", shortJoints)));
        assertEquals(ErrorKind.WRONG_JOINT_COUNT, e2.kind());
        assertTrue(e2.getMessage().contains("200 bytes") && e2.getMessage().contains("204"), e2.getMessage());
        // and undecodable bytes through the same deserializer are the decode error
        BadRecordException e3 = assertThrows(BadRecordException.class,
                () -> deserializer.deserialize("skel.poses", new byte[]{1, 2, 3}));
        assertEquals(ErrorKind.BAD_MAGIC, e3.kind());
    }

    @Test
    void shouldNeverLetAnythingButTheTypedErrorEscapeOtherRecordTypes() {
        for (SingleObjectSerde<?> serde : new SingleObjectSerde<?>[]{SkelSerdes.actionEvent(), SkelSerdes.alert(),
                SkelSerdes.deadLetter()}) {
            byte[] header = Arrays.copyOf(encodeSample(serde),
                    SingleObjectCodec.HEADER_LENGTH);
            for (long seed = 0; seed < 500; seed++) {
                Random random = new Random(seed);
                byte[] message = Arrays.copyOf(header, header.length + random.nextInt(200));
                for (int i = header.length; i < message.length; i++) {
                    message[i] = (byte) random.nextInt(256);
                }
                try {
                    serde.deserialize("t", message);
                } catch (RecordDecodeException expected) {
                    assertTrue(DECODE_KINDS.contains(expected.kind()));
                } catch (Throwable t) {
                    fail(serde.codec().schema().getName() + " seed " + seed + ": untyped " + t);
                }
            }
        }
    }

    private static <T> byte[] encodeSample(SingleObjectSerde<T> serde) {
        return serde.codec().encode(sample(serde));
    }

    @SuppressWarnings("unchecked")
    private static <T> T sample(SingleObjectSerde<T> serde) {
        switch (serde.codec().schema().getName()) {
            case "ActionEvent":
                return (T) SampleRecords.actionEvent();
            case "Alert":
                return (T) SampleRecords.alert(io.skelstream.schemas.avro.AlertState.RAISED);
            default:
                return (T) SampleRecords.deadLetter(true);
        }
    }
}
