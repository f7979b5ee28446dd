package io.skelstream.it.harness;

import io.skelstream.encoder.ModelDescription;
import java.util.ArrayList;
import java.util.List;

/**
 * The window ends streams' windowing must produce for one track, computed here from the frames alone and the
 * documented rules (streams/README.md and TrackWindowProcessor): a window spans (T-1)/fps seconds of capture time;
 * the first window of a segment ends one span after the segment's first frame, later ones every hop; a window is due
 * once a frame at least the reorder tolerance past its end has arrived. For a track whose frames never leave a gap
 * longer than window.max.gap.ms, that is every {@code first + span + k * hop <= last - tolerance}.
 */
public record WindowGrid(long spanMicros, long hopMicros, long toleranceMicros) {

    /** {@code window.hop.ms} and {@code window.reorder.tolerance.ms} as the test configured them. */
    public static WindowGrid of(ModelDescription model, long hopMillis, long toleranceMillis) {
        long span = (long) Math.ceil((model.frames() - 1) * 1e6 / model.fps());
        return new WindowGrid(span, hopMillis * 1000, toleranceMillis * 1000);
    }

    /** Ends of every window due for a gap-free track whose frames run from {@code first} to {@code last}. */
    public List<Long> expectedEnds(long firstFrameMicros, long lastFrameMicros) {
        List<Long> ends = new ArrayList<>();
        for (long end = firstFrameMicros + spanMicros; end <= lastFrameMicros - toleranceMicros; end += hopMicros) {
            ends.add(end);
        }
        return ends;
    }
}
