package io.skelstream.streams.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class LiveBoardTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldKeepTheLatestWindowAsCurrentActionEvenWhenAnOlderOneArrivesLate() throws Exception {
        LiveBoard board = new LiveBoard();
        board.action(LiveRecords.action("cam-1", 1, "walk", 0.9f, 10_000));
        board.action(LiveRecords.action("cam-1", 2, "sit down", 0.6f, 9_000)); // another track, older window

        assertEquals("walk", board.currentLabel("cam-1"));
        JsonNode snapshot = JSON.readTree(board.snapshot("cam-1", null));
        JsonNode device = snapshot.get("devices").get(0);
        assertEquals("cam-1", device.get("device").asText());
        assertEquals(2, device.get("timeline").size(), "both windows are on the timeline");
        assertEquals(10_000, device.get("action").get("windowEnd").asLong());
    }

    @Test
    void shouldSendOnlyTheFollowedDevicesTimelineInASnapshot() throws Exception {
        LiveBoard board = new LiveBoard();
        board.action(LiveRecords.action("cam-1", 1, "walk", 0.9f, 1_000));
        board.action(LiveRecords.action("cam-2", 1, "sit down", 0.9f, 1_000));
        JsonNode devices = JSON.readTree(board.snapshot("cam-2", null)).get("devices");
        assertEquals(0, devices.get(0).get("timeline").size());
        assertEquals("walk", devices.get(0).get("action").get("label").asText(), "current actions of all devices");
        assertEquals(1, devices.get(1).get("timeline").size());
    }

    @Test
    void shouldBoundTheTimeline() throws Exception {
        LiveBoard board = new LiveBoard();
        for (int i = 0; i < LiveBoard.TIMELINE_LENGTH + 25; i++) {
            board.action(LiveRecords.action("cam-1", 1, "walk", 0.5f, 1_000L * i));
        }
        JsonNode timeline = JSON.readTree(board.snapshot("cam-1", null)).get("devices").get(0).get("timeline");
        assertEquals(LiveBoard.TIMELINE_LENGTH, timeline.size());
        assertEquals(1_000L * 25, timeline.get(0).get("windowEnd").asLong(), "the oldest entries go first");
    }

    @Test
    void shouldShowAnAlertWhileRaisedAndListItsClearing() throws Exception {
        LiveBoard board = new LiveBoard();
        String raised = board.alert(LiveRecords.alert("cam-2", 3, "fall", true, 5_000));
        assertEquals("raised", JSON.readTree(raised).get("state").asText());
        assertEquals(List.of("fall"), board.activeAlertRules("cam-2"));

        board.alert(LiveRecords.alert("cam-2", 3, "fall", false, 6_000));
        assertEquals(List.of(), board.activeAlertRules("cam-2"));
        JsonNode snapshot = JSON.readTree(board.snapshot("cam-2", null));
        assertEquals(0, snapshot.get("devices").get(0).get("alerts").size());
        assertEquals(2, snapshot.get("recentAlerts").size(), "the log keeps both the raise and the clear");
        assertEquals("cleared", snapshot.get("recentAlerts").get(1).get("state").asText());
    }

    @Test
    void shouldAnnounceANewDeviceOnceAndSpliceThePoseIntoTheSnapshot() throws Exception {
        LiveBoard board = new LiveBoard();
        assertNotNull(board.poseSeen("cam-3", "ntu25", 1));
        assertNull(board.poseSeen("cam-3", null, 2), "a known device is not announced again");
        String pose = PoseMessage.encode(LiveRecords.pose("cam-3", 7, 4));

        JsonNode snapshot = JSON.readTree(board.snapshot("cam-3", pose));
        assertEquals("ntu25", snapshot.get("devices").get(0).get("layout").asText(), "the layout stays known");
        assertEquals(2, snapshot.get("devices").get(0).get("lastSeen").asLong());
        assertEquals("cam-3", snapshot.get("pose").get("device").asText());
    }
}
