package io.skelstream.streams.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The frames of one simulated device: plays a playlist of sequences back to back, resampled to the output fps,
 * with wall-clock capture times, per-device sequence numbers, jitter and drops.
 *
 * <p>Time has two axes. Content time runs through the sequences (seconds of recording); wall time is content time
 * divided by the speed factor. Frame k of the output is due at wall offset {@code k / (fps * speed)} after the
 * replay start and carries the capture time {@code start + that offset} (plus jitter). Each sequence played gets
 * fresh track ids (person slot m of the k-th sequence is one track), since a dataset's sequences are recordings of
 * different people; with {@link ReplayOptions#continuousTracks()} person slot m is track {@code m + 1} throughout.
 *
 * <p>Not thread-safe: one replayer thread drives all feeds.
 */
public final class DeviceFeed {

    private final String deviceId;
    private final List<PoseSequence> playlist;
    private final ReplayOptions options;
    private final Random random;
    private final GroundTruthTimeline truth;
    private final long startWallMicros;

    private int playIndex;          // index into playlist of the sequence being played
    private int sequencesStarted;   // how many sequences this feed has started
    private long tickInSequence;    // output frame index within the current sequence
    private double contentBaseSeconds; // content time at which the current sequence started
    private long frameSequence;     // per-device sequence number of the next frame
    private boolean finished;
    private boolean segmentRecorded;
    private long trackBase;         // track id of person slot 0 is trackBase + 1

    /**
     * @param playlist sequences in play order (this device's rotation of the dataset)
     * @param startWallMicros wall-clock time (epoch micros) of the replay start
     */
    public DeviceFeed(String deviceId, List<PoseSequence> playlist, ReplayOptions options, Random random,
                      GroundTruthTimeline truth, long startWallMicros) {
        if (playlist.isEmpty()) {
            throw new IllegalArgumentException("device " + deviceId + " has nothing to play");
        }
        this.deviceId = deviceId;
        this.playlist = List.copyOf(playlist);
        this.options = options;
        this.random = random;
        this.truth = truth;
        this.startWallMicros = startWallMicros;
    }

    public String deviceId() {
        return deviceId;
    }

    public boolean finished() {
        return finished;
    }

    /** Sequences started so far (counting repeats when looping). */
    public int sequencesStarted() {
        return sequencesStarted;
    }

    /** Wall-clock time (epoch micros) at which the next frame is due. */
    public long nextDueMicros() {
        return startWallMicros + Math.round(contentSecondsOfNextTick() / options.speed() * 1e6);
    }

    /**
     * Produces the frame that is due now and moves to the next one.
     *
     * @return the frame, or empty when this one is dropped (drop rate) or the feed just finished
     */
    public Optional<ReplayFrame> next() {
        if (finished) {
            return Optional.empty();
        }
        PoseSequence sequence = playlist.get(playIndex);
        recordSegmentIfNew(sequence);
        double sequenceSeconds = tickInSequence / outputFps(sequence);
        long due = nextDueMicros();
        long sequenceNumber = frameSequence++;
        boolean dropped = options.dropRate() > 0 && random.nextDouble() < options.dropRate();
        long jitter = options.jitterMillis() > 0
                ? Math.round((random.nextDouble() * 2 - 1) * options.jitterMillis() * 1000) : 0;
        ReplayFrame frame = dropped ? null : new ReplayFrame(deviceId, due + jitter, sequenceNumber,
                sequence.layout(), bodiesAt(sequence, sequenceSeconds, trackBase));
        advance(sequence);
        return Optional.ofNullable(frame);
    }

    private double outputFps(PoseSequence sequence) {
        return options.outputFps().orElse(sequence.fps());
    }

    private double contentSecondsOfNextTick() {
        return contentBaseSeconds + tickInSequence / outputFps(playlist.get(playIndex));
    }

    private void recordSegmentIfNew(PoseSequence sequence) {
        if (segmentRecorded) {
            return;
        }
        segmentRecorded = true;
        sequencesStarted++;
        double fps = outputFps(sequence);
        long ticks = ticksOf(sequence);
        long start = startWallMicros + Math.round(contentBaseSeconds / options.speed() * 1e6);
        long end = startWallMicros + Math.round((contentBaseSeconds + ticks / fps) / options.speed() * 1e6);
        truth.add(new GroundTruthTimeline.Segment(deviceId, sequence.id(), sequence.label(), start, end));
    }

    /** Output frames a sequence yields: every tick k with k / fpsOut inside the recording. */
    private long ticksOf(PoseSequence sequence) {
        double fps = outputFps(sequence);
        return Math.max(1, (long) Math.ceil(sequence.durationSeconds() * fps - 1e-9));
    }

    private void advance(PoseSequence sequence) {
        tickInSequence++;
        if (tickInSequence < ticksOf(sequence)) {
            return;
        }
        contentBaseSeconds += tickInSequence / outputFps(sequence);
        tickInSequence = 0;
        if (!options.continuousTracks()) {
            trackBase += sequence.persons();
        }
        segmentRecorded = false;
        playIndex++;
        if (playIndex == playlist.size()) {
            if (options.loop()) {
                playIndex = 0;
            } else {
                finished = true;
                playIndex = playlist.size() - 1; // keeps nextDueMicros() defined
            }
        }
    }

    /**
     * The persons of a sequence at a time, resampled as the window contract says: linear between the two frames
     * that bracket the time; a joint absent in either of them takes the nearer frame's value.
     */
    static List<ReplayFrame.Body> bodiesAt(PoseSequence sequence, double seconds, long trackBase) {
        double position = Math.min(seconds * sequence.fps(), sequence.frames() - 1);
        int before = (int) Math.floor(position);
        int after = Math.min(before + 1, sequence.frames() - 1);
        float weight = (float) (position - before);
        float[] xyz = sequence.coordinates();
        int joints = sequence.joints();
        List<ReplayFrame.Body> bodies = new ArrayList<>(sequence.persons());
        for (int m = 0; m < sequence.persons(); m++) {
            float[] out = new float[joints * 3];
            boolean present = false;
            for (int v = 0; v < joints; v++) {
                int a = sequence.offset(before, m, v);
                int b = sequence.offset(after, m, v);
                boolean aAbsent = xyz[a] == 0f && xyz[a + 1] == 0f && xyz[a + 2] == 0f;
                boolean bAbsent = xyz[b] == 0f && xyz[b + 1] == 0f && xyz[b + 2] == 0f;
                for (int c = 0; c < 3; c++) {
                    float value;
                    if (weight == 0f) {
                        value = xyz[a + c];
                    } else if (aAbsent || bAbsent) {
                        value = weight < 0.5f ? xyz[a + c] : xyz[b + c];
                    } else {
                        value = xyz[a + c] + weight * (xyz[b + c] - xyz[a + c]);
                    }
                    out[v * 3 + c] = value;
                    present |= value != 0f;
                }
            }
            if (present) {
                bodies.add(new ReplayFrame.Body(trackBase + m + 1, out));
            }
        }
        return bodies;
    }
}
