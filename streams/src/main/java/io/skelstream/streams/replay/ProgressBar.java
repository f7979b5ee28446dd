package io.skelstream.streams.replay;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;

/** A one-line progress display for {@code skelstream replay}, redrawn in place with a carriage return. */
public final class ProgressBar implements Consumer<ReplayStatistics> {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private long lastFrames;
    private long lastMicros;

    public ProgressBar(PrintStream out) {
        this.out = out;
    }

    @Override
    public void accept(ReplayStatistics statistics) {
        out.print("\r" + render(statistics));
        out.flush();
    }

    /** Ends the line after the last redraw. */
    public void finish() {
        out.println();
    }

    /** e.g. {@code [##########----------]  50%  12.0/24.0 s  3600 frames  300/s  12 sequences  0 dropped}. */
    String render(ReplayStatistics statistics) {
        double rate = 0;
        long dt = statistics.elapsedMicros() - lastMicros;
        if (dt > 0) {
            rate = (statistics.framesPublished() - lastFrames) * 1e6 / dt;
        }
        lastFrames = statistics.framesPublished();
        lastMicros = statistics.elapsedMicros();
        StringBuilder line = new StringBuilder();
        double fraction = statistics.fractionDone();
        if (fraction >= 0) {
            int filled = (int) Math.round(fraction * WIDTH);
            line.append('[').append("#".repeat(filled)).append("-".repeat(WIDTH - filled)).append("] ")
                    .append(String.format(Locale.ROOT, "%3d%%  %.1f/%.1f s", Math.round(fraction * 100),
                            statistics.elapsedMicros() / 1e6, statistics.plannedMicros() / 1e6));
        } else {
            line.append(String.format(Locale.ROOT, "%.1f s (looping)", statistics.elapsedMicros() / 1e6));
        }
        line.append(String.format(Locale.ROOT, "  %d frames  %.0f/s  %d sequences  %d dropped",
                statistics.framesPublished(), rate, statistics.sequencesStarted(), statistics.framesDropped()));
        return line.toString();
    }
}
