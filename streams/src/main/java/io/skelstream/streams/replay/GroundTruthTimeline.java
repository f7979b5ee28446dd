package io.skelstream.streams.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each simulated device is playing and when: capture-time ranges of the sequences it replays, so live
 * predictions can be compared with the truth by device and window time. Written by the replayer, read by a view;
 * thread-safe.
 */
public final class GroundTruthTimeline {

    /**
     * One sequence as played by one device.
     *
     * @param deviceId device that played it
     * @param sequenceId id of the sequence in its dataset
     * @param label ground-truth label, or null when unlabelled
     * @param startMicros capture time of its first frame
     * @param endMicros capture time just after its last frame (exclusive)
     */
    public record Segment(String deviceId, String sequenceId, String label, long startMicros, long endMicros) {

        /** Microseconds of [from, to) that fall inside this segment. */
        public long overlapMicros(long fromMicros, long toMicros) {
            return Math.max(0, Math.min(endMicros, toMicros) - Math.max(startMicros, fromMicros));
        }
    }

    private final Map<String, List<Segment>> byDevice = new ConcurrentHashMap<>();

    /** Records that a device starts playing a sequence; segments of one device arrive in time order. */
    public void add(Segment segment) {
        List<Segment> segments = byDevice.computeIfAbsent(segment.deviceId(), device -> new ArrayList<>());
        synchronized (segments) {
            segments.add(segment);
        }
    }

    /** The segment that covers the largest part of [from, to) on a device, if any covers some of it. */
    public Optional<Segment> dominantSegment(String deviceId, long fromMicros, long toMicros) {
        List<Segment> segments = byDevice.get(deviceId);
        if (segments == null) {
            return Optional.empty();
        }
        Segment best = null;
        long bestOverlap = 0;
        synchronized (segments) {
            for (int i = segments.size() - 1; i >= 0; i--) {
                Segment segment = segments.get(i);
                if (segment.endMicros() <= fromMicros) {
                    break; // older segments end even earlier
                }
                long overlap = segment.overlapMicros(fromMicros, toMicros);
                if (overlap > bestOverlap) {
                    best = segment;
                    bestOverlap = overlap;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** The segment playing at a capture time on a device. */
    public Optional<Segment> segmentAt(String deviceId, long timeMicros) {
        return dominantSegment(deviceId, timeMicros, timeMicros + 1);
    }

    /** Every segment of a device so far, oldest first (a copy). */
    public List<Segment> segments(String deviceId) {
        List<Segment> segments = byDevice.get(deviceId);
        if (segments == null) {
            return List.of();
        }
        synchronized (segments) {
            return List.copyOf(segments);
        }
    }
}
