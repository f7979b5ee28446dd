package io.skelstream.streams.alerts;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One rule's state for one track, advanced one smoothed window (hop) at a time. Times are capture-time microseconds.
 * Pure logic; {@link AlertProcessor} stores it and turns transitions into Alert records.
 */
final class RuleState {

    static final long UNSET = Long.MIN_VALUE;

    /** What one observation did to the rule. */
    enum Transition { NONE, RAISED, CLEARED }

    /** One hop as seen by the rule: the window, the rule label with the highest probability, and that probability. */
    record Observation(long windowStart, long windowEnd, String label, float confidence, boolean active) {
    }

    /** Capture-time interval during which the rule's labels were active. */
    record Interval(long start, long end) {
    }

    private long lastObservation = UNSET;
    private long runStart = UNSET;
    private final Deque<Interval> activeIntervals = new ArrayDeque<>();
    private boolean raised;
    private long startedAt = UNSET;
    private long raisedAt = UNSET;
    private long lastRaisedAt = UNSET;
    private long clearSince = UNSET;
    private String raisedLabel = "";
    private final Deque<Observation> recent = new ArrayDeque<>();

    /**
     * Advances the rule by one hop.
     *
     * @param restart     true when this is the first window after the track started or restarted (no continuity)
     * @param maxStepMicros longest time one hop may stand for (longer spacing means frames were missing)
     */
    Transition observe(AlertRule rule, Observation observation, boolean restart, long maxStepMicros) {
        long end = observation.windowEnd();
        boolean continuous = !restart && lastObservation != UNSET && end - lastObservation <= maxStepMicros
                && end > lastObservation;
        long step = continuous ? end - lastObservation : Math.min(maxStepMicros, end - observation.windowStart());
        lastObservation = end;

        remember(rule, observation);
        if (observation.active()) {
            if (runStart == UNSET || !continuous) {
                runStart = observation.windowStart();
            }
            Interval last = activeIntervals.peekLast();
            if (last != null && continuous && last.end() == end - step) {
                activeIntervals.pollLast();
                activeIntervals.addLast(new Interval(last.start(), end));
            } else {
                activeIntervals.addLast(new Interval(end - step, end));
            }
        } else {
            runStart = UNSET;
        }
        long periodStart = end - rule.periodMillis() * 1000;
        while (!activeIntervals.isEmpty() && activeIntervals.peekFirst().end() <= periodStart) {
            activeIntervals.pollFirst();
        }

        if (raised) {
            if (observation.confidence() < rule.clearConfidence()) {
                if (clearSince == UNSET) {
                    clearSince = end;
                }
                if (end - clearSince >= rule.clearAfterMillis() * 1000) {
                    raised = false;
                    return Transition.CLEARED;
                }
            } else {
                clearSince = UNSET;
            }
            return Transition.NONE;
        }
        if (lastRaisedAt != UNSET && end - lastRaisedAt < rule.cooldownMillis() * 1000) {
            return Transition.NONE;
        }
        long holdsSince = holdsSince(rule, end);
        if (holdsSince == UNSET) {
            return Transition.NONE;
        }
        raised = true;
        startedAt = holdsSince;
        raisedAt = end;
        lastRaisedAt = end;
        clearSince = UNSET;
        raisedLabel = observation.label();
        return Transition.RAISED;
    }

    /** When the rule's condition began to hold if it holds at {@code end}, else {@link #UNSET}. */
    private long holdsSince(AlertRule rule, long end) {
        if (rule.hasContinuousCondition() && runStart != UNSET && end - runStart >= rule.minDurationMillis() * 1000) {
            return runStart;
        }
        if (rule.hasCumulativeCondition()) {
            long periodStart = end - rule.periodMillis() * 1000;
            long total = 0;
            long first = UNSET;
            for (Interval interval : activeIntervals) {
                long from = Math.max(interval.start(), periodStart);
                if (interval.end() > from) {
                    total += interval.end() - from;
                    first = first == UNSET ? from : first;
                }
            }
            if (total >= rule.cumulativeMillis() * 1000) {
                return first;
            }
        }
        return UNSET;
    }

    private void remember(AlertRule rule, Observation observation) {
        recent.addLast(observation);
        while (recent.size() > rule.maxEvidence()) {
            recent.pollFirst();
        }
    }

    /** Active observations since the condition began (for a raise), or the observations since clearing began. */
    List<Observation> evidence(Transition transition) {
        List<Observation> evidence = new ArrayList<>();
        for (Observation observation : recent) {
            if (transition == Transition.RAISED && observation.active() && observation.windowEnd() > startedAt) {
                evidence.add(observation);
            } else if (transition == Transition.CLEARED && clearSince != UNSET
                    && observation.windowEnd() >= clearSince) {
                evidence.add(observation);
            }
        }
        return evidence;
    }

    /** Clears a raised rule because its track ended; true if it was raised. */
    boolean endTrack() {
        boolean wasRaised = raised;
        raised = false;
        return wasRaised;
    }

    boolean raised() {
        return raised;
    }

    long startedAt() {
        return startedAt;
    }

    long raisedAt() {
        return raisedAt;
    }

    long clearSince() {
        return clearSince;
    }

    String raisedLabel() {
        return raisedLabel;
    }

    void write(DataOutputStream out) throws IOException {
        out.writeLong(lastObservation);
        out.writeLong(runStart);
        out.writeBoolean(raised);
        out.writeLong(startedAt);
        out.writeLong(raisedAt);
        out.writeLong(lastRaisedAt);
        out.writeLong(clearSince);
        out.writeUTF(raisedLabel);
        out.writeInt(activeIntervals.size());
        for (Interval interval : activeIntervals) {
            out.writeLong(interval.start());
            out.writeLong(interval.end());
        }
        out.writeInt(recent.size());
        for (Observation observation : recent) {
            out.writeLong(observation.windowStart());
            out.writeLong(observation.windowEnd());
            out.writeUTF(observation.label());
            out.writeFloat(observation.confidence());
            out.writeBoolean(observation.active());
        }
    }

    static RuleState read(DataInputStream in) throws IOException {
        RuleState state = new RuleState();
        state.lastObservation = in.readLong();
        state.runStart = in.readLong();
        state.raised = in.readBoolean();
        state.startedAt = in.readLong();
        state.raisedAt = in.readLong();
        state.lastRaisedAt = in.readLong();
        state.clearSince = in.readLong();
        state.raisedLabel = in.readUTF();
        int intervals = in.readInt();
        for (int i = 0; i < intervals; i++) {
            state.activeIntervals.addLast(new Interval(in.readLong(), in.readLong()));
        }
        int observations = in.readInt();
        for (int i = 0; i < observations; i++) {
            state.recent.addLast(new Observation(in.readLong(), in.readLong(), in.readUTF(), in.readFloat(),
                    in.readBoolean()));
        }
        return state;
    }
}
