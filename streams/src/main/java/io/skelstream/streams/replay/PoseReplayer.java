package io.skelstream.streams.replay;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Publishes a dataset as live feeds of several simulated devices, each frame when it is due.
 *
 * <p>Device i plays the dataset starting at sequence {@code i * count / devices}, so devices show different actions
 * at the same moment. One thread drives all devices from a queue ordered by due time; frames of one device are
 * published in capture order (before jitter).
 */
public final class PoseReplayer {

    /** How often the progress callback is told (wall time). */
    private static final long PROGRESS_INTERVAL_MICROS = 250_000;

    private final List<PoseSequence> dataset;
    private final ReplayOptions options;
    private final ReplayClock clock;
    private final GroundTruthTimeline truth;

    public PoseReplayer(List<PoseSequence> dataset, ReplayOptions options, ReplayClock clock, GroundTruthTimeline truth) {
        if (dataset.isEmpty()) {
            throw new IllegalArgumentException("the dataset has no sequences");
        }
        this.dataset = List.copyOf(dataset);
        this.options = options;
        this.clock = clock;
        this.truth = truth;
    }

    /**
     * Runs until every device finished one pass (or forever when looping), the duration limit passes, or the
     * thread is interrupted (then it returns normally with the interrupt flag set, after flushing the sink).
     *
     * @param progress called about four times a second and once at the end
     * @return the final counters
     */
    public ReplayStatistics run(FrameSink sink, Consumer<ReplayStatistics> progress) {
        long start = clock.nowMicros();
        Random random = new Random(options.seed());
        PriorityQueue<DeviceFeed> due = new PriorityQueue<>(Comparator.comparingLong(DeviceFeed::nextDueMicros));
        List<DeviceFeed> feeds = new ArrayList<>();
        for (int i = 0; i < options.devices(); i++) {
            DeviceFeed feed = new DeviceFeed(options.deviceId(i), playlistOf(i), options, new Random(random.nextLong()),
                    truth, start);
            feeds.add(feed);
            due.add(feed);
        }
        long planned = plannedMicros();
        long deadline = options.maxDuration().map(d -> start + d.toNanos() / 1000).orElse(Long.MAX_VALUE);
        long published = 0;
        long dropped = 0;
        long lastProgress = start;
        try {
            while (!due.isEmpty() && !Thread.currentThread().isInterrupted()) {
                DeviceFeed feed = due.poll();
                long dueAt = feed.nextDueMicros();
                if (dueAt >= deadline) {
                    break;
                }
                try {
                    clock.sleepUntil(dueAt);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                Optional<ReplayFrame> frame = feed.next();
                if (frame.isPresent()) {
                    sink.publish(frame.get());
                    published++;
                } else if (!feed.finished()) {
                    dropped++;
                }
                if (!feed.finished()) {
                    due.add(feed);
                }
                long now = clock.nowMicros();
                if (now - lastProgress >= PROGRESS_INTERVAL_MICROS) {
                    lastProgress = now;
                    progress.accept(new ReplayStatistics(published, dropped, startedOf(feeds), now - start, planned));
                }
            }
        } finally {
            // Frames already handed over are delivered even when stopping; the flag is restored afterwards.
            boolean interrupted = Thread.interrupted();
            sink.flush();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        ReplayStatistics done = new ReplayStatistics(published, dropped, startedOf(feeds), clock.nowMicros() - start,
                planned);
        progress.accept(done);
        return done;
    }

    /** Device i's rotation of the dataset. */
    List<PoseSequence> playlistOf(int device) {
        int offset = (int) ((long) device * dataset.size() / options.devices());
        List<PoseSequence> playlist = new ArrayList<>(dataset.size());
        for (int k = 0; k < dataset.size(); k++) {
            playlist.add(dataset.get((offset + k) % dataset.size()));
        }
        return playlist;
    }

    private long plannedMicros() {
        if (options.maxDuration().isPresent()) {
            return options.maxDuration().get().toNanos() / 1000;
        }
        if (options.loop()) {
            return 0;
        }
        double seconds = 0;
        for (PoseSequence sequence : dataset) {
            double fps = options.outputFps().orElse(sequence.fps());
            seconds += Math.max(1, Math.ceil(sequence.durationSeconds() * fps - 1e-9)) / fps;
        }
        return Math.round(seconds / options.speed() * 1e6);
    }

    private static long startedOf(List<DeviceFeed> feeds) {
        long started = 0;
        for (DeviceFeed feed : feeds) {
            started += feed.sequencesStarted();
        }
        return started;
    }
}
