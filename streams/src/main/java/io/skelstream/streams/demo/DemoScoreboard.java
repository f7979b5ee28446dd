package io.skelstream.streams.demo;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.skelstream.streams.replay.GroundTruthTimeline;

/**
 * Joins the processor's action events with what each simulated device is really playing, by device and window
 * time, and keeps the running accuracy the live view shows.
 *
 * <p>Two accuracies. Per window: an event is correct when its label equals the label of the sequence that covers
 * most of its window. Per sequence: once a sequence has finished playing (plus a grace period for the pipeline's
 * latency), the label most of its events voted for is its prediction; a sequence without any event counts as
 * missed (wrong). Thread-safe: the follower thread records, the view thread reads snapshots.
 */
public final class DemoScoreboard {

    /** An event counts for a sequence when at least this share of its window lies inside the sequence. */
    static final double MIN_WINDOW_SHARE = 0.5;
    /** Alerts listed in the view. */
    static final int RECENT_ALERTS = 6;

    /**
     * What the view shows for one device.
     *
     * @param latest the newest event, if any
     * @param latestTruth ground-truth label of the newest event's window, if known
     * @param playingNow label of the sequence playing now
     * @param windowsCorrect events whose label matched their window's truth
     * @param windowsJudged events with a known truth
     * @param sequencesCorrect finished sequences whose majority label was right
     * @param sequencesJudged finished sequences (including missed ones)
     * @param sequencesMissed finished sequences without any event
     */
    public record DeviceRow(String deviceId, Optional<ObservedAction> latest, Optional<String> latestTruth,
                            Optional<String> playingNow, long windowsCorrect, long windowsJudged, long sequencesCorrect,
                            long sequencesJudged, long sequencesMissed) {
    }

    /** Everything the view shows at one moment. */
    public record Snapshot(List<DeviceRow> devices, List<ObservedAlert> recentAlerts, long events, long alerts,
                           long windowsCorrect, long windowsJudged, long sequencesCorrect, long sequencesJudged) {
    }

    private final GroundTruthTimeline truth;
    private final long graceMicros;
    private final Map<String, DeviceState> devices = new TreeMap<>();
    private final Deque<ObservedAlert> recentAlerts = new ArrayDeque<>();
    private long events;
    private long alerts;

    /**
     * @param graceMicros how long after a sequence ends its late events are still awaited before it is judged
     */
    public DemoScoreboard(GroundTruthTimeline truth, long graceMicros) {
        this.truth = truth;
        this.graceMicros = graceMicros;
    }

    public synchronized void record(ObservedAction action) {
        events++;
        DeviceState device = devices.computeIfAbsent(action.deviceId(), DeviceState::new);
        device.latest = action;
        Optional<GroundTruthTimeline.Segment> segment = truth.dominantSegment(action.deviceId(),
                action.windowStartMicros(), action.windowEndMicros() + 1);
        device.latestTruth = segment.map(GroundTruthTimeline.Segment::label).orElse(null);
        if (segment.isPresent() && segment.get().label() != null) {
            device.windowsJudged++;
            if (segment.get().label().equals(action.label())) {
                device.windowsCorrect++;
            }
            long window = Math.max(1, action.windowEndMicros() - action.windowStartMicros());
            long inside = segment.get().overlapMicros(action.windowStartMicros(), action.windowEndMicros() + 1);
            if (inside >= MIN_WINDOW_SHARE * window) {
                device.votes.computeIfAbsent(segment.get(), s -> new HashMap<>()).merge(action.label(), 1, Integer::sum);
            }
        }
    }

    public synchronized void record(ObservedAlert alert) {
        alerts++;
        recentAlerts.addFirst(alert);
        while (recentAlerts.size() > RECENT_ALERTS) {
            recentAlerts.removeLast();
        }
    }

    /**
     * The state at a wall-clock time: judges every sequence that ended more than the grace period before it.
     *
     * @param deviceIds devices to show even before their first event
     */
    public synchronized Snapshot snapshot(long nowMicros, List<String> deviceIds) {
        for (String id : deviceIds) {
            devices.computeIfAbsent(id, DeviceState::new);
        }
        List<DeviceRow> rows = new ArrayList<>();
        long windowsCorrect = 0;
        long windowsJudged = 0;
        long sequencesCorrect = 0;
        long sequencesJudged = 0;
        for (DeviceState device : devices.values()) {
            device.judgeFinished(nowMicros - graceMicros);
            Optional<String> playing = truth.segmentAt(device.id, nowMicros).map(GroundTruthTimeline.Segment::label);
            rows.add(new DeviceRow(device.id, Optional.ofNullable(device.latest), Optional.ofNullable(device.latestTruth),
                    playing, device.windowsCorrect, device.windowsJudged, device.sequencesCorrect,
                    device.sequencesJudged, device.sequencesMissed));
            windowsCorrect += device.windowsCorrect;
            windowsJudged += device.windowsJudged;
            sequencesCorrect += device.sequencesCorrect;
            sequencesJudged += device.sequencesJudged;
        }
        return new Snapshot(rows, List.copyOf(recentAlerts), events, alerts, windowsCorrect, windowsJudged,
                sequencesCorrect, sequencesJudged);
    }

    private final class DeviceState {
        final String id;
        ObservedAction latest;
        String latestTruth;
        long windowsCorrect;
        long windowsJudged;
        long sequencesCorrect;
        long sequencesJudged;
        long sequencesMissed;
        int judgedSegments; // segments of this device already judged, in play order
        final Map<GroundTruthTimeline.Segment, Map<String, Integer>> votes = new HashMap<>();

        DeviceState(String id) {
            this.id = id;
        }

        void judgeFinished(long endedBeforeMicros) {
            List<GroundTruthTimeline.Segment> segments = truth.segments(id);
            while (judgedSegments < segments.size() && segments.get(judgedSegments).endMicros() <= endedBeforeMicros) {
                GroundTruthTimeline.Segment segment = segments.get(judgedSegments++);
                Map<String, Integer> counts = votes.remove(segment);
                if (segment.label() == null) {
                    continue;
                }
                sequencesJudged++;
                if (counts == null || counts.isEmpty()) {
                    sequencesMissed++;
                    continue;
                }
                String majority = counts.entrySet().stream()
                        .max(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                        .get().getKey();
                if (majority.equals(segment.label())) {
                    sequencesCorrect++;
                }
            }
        }
    }
}
