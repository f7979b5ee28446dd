package io.skelstream.it.harness;

import io.skelstream.encoder.ModelDescription;
import java.util.ArrayList;
import java.util.List;

/**
 * The window ends streams' windowing must produce for one track, computed here from the frames alone and the
 * documented rules (streams/README.md and TrackWindowProcessor): a window spans (T-1)/fps seconds of capture time;
 * the first window of a segment ends one span after the segment's first frame, later ones nominally every hop; a
 * window other than the first ends on the newest frame within the snap ({@code window.end.snap.ms}, default half the
 * model's frame interval, at most half a hop) before its nominal end, else at its nominal end; it is due once the
 * frames up to the reorder tolerance before the newest one include the frame it ends on, or reach past its end.
 */
public record WindowGrid(long spanMicros, long hopMicros, long snapMicros, long toleranceMicros) {

    /** {@code window.hop.ms} and {@code window.reorder.tolerance.ms} as the test configured them, the default snap. */
    public static WindowGrid of(ModelDescription model, long hopMillis, long toleranceMillis) {
        long span = (long) Math.ceil((model.frames() - 1) * 1e6 / model.fps());
        long hop = hopMillis * 1000;
        long snap = Math.min((long) Math.floor(0.5e6 / model.fps()), hop / 2);
        return new WindowGrid(span, hop, snap, toleranceMillis * 1000);
    }

    /**
     * Ends of every window due for a gap-free track whose frames run from {@code first} to {@code last}, one every
     * {@code frameIntervalMicros}.
     */
    public List<Long> expectedEnds(long firstFrameMicros, long lastFrameMicros, long frameIntervalMicros) {
        List<Long> ends = new ArrayList<>();
        long settled = lastFrameMicros - toleranceMicros; // frames up to here are final
        for (long nominal = firstFrameMicros + spanMicros; ; nominal += hopMicros) {
            boolean first = ends.isEmpty();
            long end = nominal;
            if (!first && snapMicros > 0 && nominal - snapMicros <= settled) {
                long newest = firstFrameMicros
                        + (Math.min(nominal, settled) - firstFrameMicros) / frameIntervalMicros * frameIntervalMicros;
                if (newest >= nominal - snapMicros) {
                    end = newest;
                }
            }
            if (end == nominal && nominal > settled) {
                return ends;
            }
            ends.add(end);
        }
    }
}
