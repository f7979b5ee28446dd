package io.skelstream.streams.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.skelstream.streams.replay.GroundTruthTimeline;
import io.skelstream.streams.replay.GroundTruthTimeline.Segment;

class DemoScoreboardTest {

    private static final long S = 1_000_000L;

    private final GroundTruthTimeline truth = new GroundTruthTimeline();
    private final DemoScoreboard scoreboard = new DemoScoreboard(truth, 1 * S);

    @Test
    void shouldJudgeWindowsByTheSequenceCoveringMostOfThem() {
        truth.add(new Segment("cam-1", "a", "wave", 0, 4 * S));
        truth.add(new Segment("cam-1", "b", "clap", 4 * S, 8 * S));

        scoreboard.record(action("cam-1", 1 * S, 3 * S, "wave"));    // inside "wave": right
        scoreboard.record(action("cam-1", 3 * S, 5 * S + 1, "wave")); // mostly "clap": wrong
        scoreboard.record(action("cam-1", 5 * S, 7 * S, "clap"));    // right

        DemoScoreboard.Snapshot snapshot = scoreboard.snapshot(6 * S, List.of("cam-1"));
        DemoScoreboard.DeviceRow row = snapshot.devices().get(0);
        assertEquals(2, row.windowsCorrect());
        assertEquals(3, row.windowsJudged());
        assertEquals("clap", row.latestTruth().orElseThrow());
        assertEquals("clap", row.playingNow().orElseThrow());
    }

    @Test
    void shouldJudgeSequencesByMajorityOnlyAfterTheyEndAndCountMissedOnesAsWrong() {
        truth.add(new Segment("cam-1", "a", "wave", 0, 4 * S));
        truth.add(new Segment("cam-1", "b", "clap", 4 * S, 8 * S));
        truth.add(new Segment("cam-1", "c", "fall", 8 * S, 10 * S));
        scoreboard.record(action("cam-1", 0, 2 * S, "wave"));
        scoreboard.record(action("cam-1", 1 * S, 3 * S, "clap"));
        scoreboard.record(action("cam-1", 2 * S, 4 * S, "wave"));
        scoreboard.record(action("cam-1", 5 * S, 7 * S, "jump"));

        DemoScoreboard.Snapshot early = scoreboard.snapshot(4 * S + S / 2, List.of("cam-1"));
        assertEquals(0, early.sequencesJudged(), "not judged within the grace period");

        DemoScoreboard.Snapshot later = scoreboard.snapshot(12 * S, List.of("cam-1"));
        DemoScoreboard.DeviceRow row = later.devices().get(0);
        assertEquals(3, row.sequencesJudged());
        assertEquals(1, row.sequencesCorrect(), "wave by majority; clap voted jump; fall had no event");
        assertEquals(1, row.sequencesMissed());
    }

    @Test
    void shouldListDevicesBeforeTheirFirstEventAndKeepTheNewestAlertsFirst() {
        for (int i = 0; i < 8; i++) {
            scoreboard.record(new ObservedAlert("fall", "cam-2", 1, "fall", "CRITICAL", i % 2 == 0, i * S));
        }

        DemoScoreboard.Snapshot snapshot = scoreboard.snapshot(10 * S, List.of("cam-1", "cam-2"));

        assertEquals(2, snapshot.devices().size());
        assertFalse(snapshot.devices().get(0).latest().isPresent());
        assertEquals(DemoScoreboard.RECENT_ALERTS, snapshot.recentAlerts().size());
        assertEquals(7 * S, snapshot.recentAlerts().get(0).atMicros());
        assertEquals(8, snapshot.alerts());
    }

    @Test
    void shouldRenderEveryDeviceTheAccuracyAndAlertsWithoutEscapesWhenAnsiIsOff() {
        truth.add(new Segment("cam-1", "a", "wave", 0, 4 * S));
        scoreboard.record(action("cam-1", 1 * S, 3 * S, "wave"));
        scoreboard.record(new ObservedAlert("fall", "cam-1", 1, "fall", "CRITICAL", true, 2 * S));
        DemoScoreboard.Snapshot snapshot = scoreboard.snapshot(3 * S, List.of("cam-1", "cam-2"));

        String plain = new LiveConsoleView(false).render(List.of("SkelStream demo"), snapshot, 3 * S);
        LiveConsoleView ansiView = new LiveConsoleView(true);
        String first = ansiView.render(List.of("SkelStream demo"), snapshot, 3 * S);
        String second = ansiView.render(List.of("SkelStream demo"), snapshot, 3 * S);

        assertFalse(plain.contains("\u001b"), "no escape codes without ANSI");
        assertTrue(plain.contains("cam-1") && plain.contains("cam-2"), plain);
        assertTrue(plain.lines().anyMatch(l -> l.startsWith("cam-1") && l.contains("wave") && l.contains("90.0%")
                && l.contains("1/1 100%")), plain);
        assertTrue(plain.contains("RAISED  CRITICAL fall"), plain);
        assertTrue(plain.contains("accuracy: windows 1/1 100%"), plain);
        assertTrue(first.contains("\u001b[2J"), "the first frame clears the screen");
        assertTrue(second.startsWith("\u001b[H") && !second.contains("\u001b[2J"), "later frames redraw in place");
    }

    private static ObservedAction action(String device, long start, long end, String label) {
        return new ObservedAction(device, 1, start, end, label, 0.9f);
    }
}
