package io.skelstream.schemas;

import io.skelstream.schemas.avro.ActionEvent;
import io.skelstream.schemas.avro.Alert;
import io.skelstream.schemas.avro.DeadLetter;
import io.skelstream.schemas.avro.ErrorKind;
import io.skelstream.schemas.avro.PoseFrame;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchemaEvolutionTest {
    private static final List<Schema> CURRENT = List.of(PoseFrame.getClassSchema(), ActionEvent.getClassSchema(),
            Alert.getClassSchema(), DeadLetter.getClassSchema());

    @Test
    void shouldKeepTheCurrentSchemaAsTheNewestHistoryVersion() {
        // A change to src/main/avro without a new history/<Record>/vN.avsc fails here.
        for (Schema current : CURRENT) {
            List<Schema> history = SchemaHistory.versions(current.getName());
            assertFalse(history.isEmpty(), "no history for " + current.getName());
            Schema newest = history.get(history.size() - 1);
            assertEquals(SchemaNormalization.toParsingForm(current), SchemaNormalization.toParsingForm(newest),
                    current.getName() + ": src/main/avro differs from history v" + history.size()
                            + "; copy the new schema to history as v" + (history.size() + 1));
        }
    }

    @Test
    void shouldReadEveryHistoryVersionWithTheCurrentSchema() {
        for (Schema current : CURRENT) {
            List<Schema> history = SchemaHistory.versions(current.getName());
            for (int v = 0; v < history.size(); v++) {
                SchemaCompatibility.SchemaPairCompatibility result =
                        SchemaCompatibility.checkReaderWriterCompatibility(current, history.get(v));
                assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE, result.getType(),
                        current.getName() + " cannot read v" + (v + 1) + ": " + result.getDescription());
            }
        }
    }

    @Test
    void shouldReadEveryHistoryVersionByItsOwnFingerprint() {
        for (Class<? extends SpecificRecord> type : List.of(PoseFrame.class, ActionEvent.class, Alert.class,
                DeadLetter.class)) {
            SingleObjectCodec<? extends SpecificRecord> codec = SingleObjectCodec.forRecord(type);
            List<Schema> history = SchemaHistory.versions(type.getSimpleName());
            Set<Long> expected = history.stream().map(SingleObjectCodec::fingerprint).collect(Collectors.toSet());
            assertEquals(history.size(), expected.size(), type.getSimpleName() + " has two identical versions");
            assertEquals(expected, codec.knownFingerprints(), type.getSimpleName());
        }
    }

    @Test
    void shouldListEveryHistoryVersionAndItsFingerprintInFingerprintsJson() throws Exception {
        // Non-Java clients find the writer schema through this table, so it must match the files exactly.
        JsonNode records;
        try (InputStream in = SchemaHistory.class.getResourceAsStream(SchemaHistory.RESOURCE_ROOT + "fingerprints.json")) {
            records = new ObjectMapper().readTree(in).get("records");
        }
        for (Schema current : CURRENT) {
            List<Schema> history = SchemaHistory.versions(current.getName());
            JsonNode listed = records.path(current.getName());
            StringBuilder expected = new StringBuilder();
            for (int v = 0; v < history.size(); v++) {
                expected.append(String.format("{\"version\": %d, \"file\": \"%s/v%d.avsc\", \"fingerprint\": \"%s\"}%n",
                        v + 1, current.getName(), v + 1,
                        SingleObjectCodec.fingerprintHex(SingleObjectCodec.fingerprint(history.get(v)))));
            }
            assertEquals(history.size(), listed.size(), "fingerprints.json must list for " + current.getName()
                    + ":\n" + expected);
            for (int v = 0; v < history.size(); v++) {
                JsonNode entry = listed.get(v);
                assertEquals(v + 1, entry.get("version").intValue());
                assertEquals(current.getName() + "/v" + (v + 1) + ".avsc", entry.get("file").textValue());
                assertEquals(SingleObjectCodec.fingerprintHex(SingleObjectCodec.fingerprint(history.get(v))),
                        entry.get("fingerprint").textValue(), "fingerprints.json must list for " + current.getName()
                                + ":\n" + expected);
            }
        }
    }

    @Test
    void shouldHaveARealOlderPoseFrameVersion() {
        List<Schema> history = SchemaHistory.versions("PoseFrame");
        assertTrue(history.size() >= 2, "PoseFrame v1 and v2 expected");
        Schema v1Body = history.get(0).getField("bodies").schema().getElementType();
        assertNull(v1Body.getField("confidence"), "v1 bodies have no confidence");
    }

    /** Writes a v1 PoseFrame (no confidence) with a generic v1 codec. */
    private static byte[] v1Message(float[] joints) {
        Schema v1 = SchemaHistory.version("PoseFrame", 1);
        Schema bodySchema = v1.getField("bodies").schema().getElementType();
        GenericRecord body = new GenericData.Record(bodySchema);
        body.put("track_id", 9L);
        body.put("joints", JointBytes.packJoints(joints));
        GenericRecord frame = new GenericData.Record(v1);
        frame.put("device_id", "old-cam");
        frame.put("capture_time", 1_700_000_000_000_000L);
        frame.put("sequence", 42L);
        frame.put("layout", "kinect_v1_20");
        frame.put("bodies", List.of(body));
        return SingleObjectCodec.generic(v1, List.of()).encode(frame);
    }

    @Test
    void shouldReadVersionOneBytesWithTheCurrentReader() {
        // given a message written by a v1 producer
        float[] joints = SampleRecords.joints(new Random(3), 20);
        byte[] message = v1Message(joints);
        // when the current (v2) deserializer reads it
        PoseFrame frame = SkelSerdes.poseFrame().deserialize("skel.poses", message);
        // then every v1 field survives and the new field takes its default
        assertEquals("old-cam", frame.getDeviceId());
        assertEquals(42L, frame.getSequence());
        assertEquals(1_700_000_000L, frame.getCaptureTime().getEpochSecond());
        assertEquals(1, frame.getBodies().size());
        assertEquals(9L, frame.getBodies().get(0).getTrackId());
        assertNull(frame.getBodies().get(0).getConfidence());
        assertEquals(JointBytes.packJoints(joints), frame.getBodies().get(0).getJoints());
        // and it validates like any current frame
        ValidPoseFrame valid = PoseFrameValidator.withDefaults().validate("old-cam", frame);
        assertEquals(joints.length, valid.bodies().get(0).joints().length);
    }

    @Test
    void shouldRejectVersionTwoBytesInAReaderThatOnlyKnowsVersionOne() {
        // given a v1-only reader and a current message
        SingleObjectCodec<GenericRecord> v1Reader = SingleObjectCodec.generic(SchemaHistory.version("PoseFrame", 1), List.of());
        byte[] v2Message = SkelSerdes.poseFrame().serialize("skel.poses", SampleRecords.poseFrame(8));
        // when / then: the typed error, naming the unknown fingerprint
        RecordDecodeException e = assertThrows(RecordDecodeException.class, () -> v1Reader.decode(v2Message));
        assertEquals(ErrorKind.UNKNOWN_SCHEMA, e.kind());
        assertTrue(e.getMessage().contains(SingleObjectCodec.fingerprintHex(
                SingleObjectCodec.fingerprint(PoseFrame.getClassSchema()))), e.getMessage());
        assertEquals(SingleObjectCodec.fingerprint(PoseFrame.getClassSchema()), e.fingerprint().orElseThrow());
    }

    @Test
    void shouldReadVersionTwoBytesInAVersionOneReaderThatWasGivenTheNewSchema() {
        // given a v1 reader that has been told the v2 writer schema (forward compatibility)
        SingleObjectCodec<GenericRecord> v1Reader = SingleObjectCodec.generic(SchemaHistory.version("PoseFrame", 1),
                List.of(SchemaHistory.version("PoseFrame", 2)));
        PoseFrame current = SampleRecords.poseFrame(8);
        // when
        GenericRecord old = v1Reader.decode(SkelSerdes.poseFrame().serialize("skel.poses", current));
        // then it sees the v1 view: same joints, no confidence field
        GenericRecord body = (GenericRecord) ((List<?>) old.get("bodies")).get(0);
        assertEquals(current.getBodies().get(0).getJoints(), (ByteBuffer) body.get("joints"));
        assertFalse(body.hasField("confidence"));
        assertEquals(current.getDeviceId(), old.get("device_id").toString());
    }
}
