package io.skelstream.streams.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.skelstream.schemas.BadRecordException;

class PoseMessageTest {

    @Test
    void shouldWriteJointsInMetresToTheMillimetre() throws Exception {
        JsonNode pose = new ObjectMapper().readTree(PoseMessage.encode(LiveRecords.pose("cam-1", 42, 9)));

        assertEquals("cam-1", pose.get("device").asText());
        assertEquals("ntu25", pose.get("layout").asText());
        assertEquals(1_042, pose.get("t").asLong(), "capture time in ms");
        JsonNode joints = pose.get("bodies").get(0).get("joints");
        assertEquals(9, pose.get("bodies").get(0).get("track").asLong());
        assertEquals(75, joints.size());
        for (int j = 0; j < 25; j++) {
            assertEquals(j / 1000.0, joints.get(3 * j).asDouble(), 1e-9, "x of joint " + j);
            assertEquals(-j / 100.0, joints.get(3 * j + 1).asDouble(), 1e-9, "y of joint " + j);
            assertEquals(3.0, joints.get(3 * j + 2).asDouble(), 1e-9, "z of joint " + j);
        }
    }

    @Test
    void shouldRefuseBytesThatAreNotAPoseFrame() {
        assertThrows(BadRecordException.class, () -> PoseMessage.encode(new byte[] {1, 2, 3}));
    }
}
