package io.skelstream.streams.demo;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The demo's console screen: one row per device (current action, confidence, ground truth, running accuracy),
 * the alerts as they fire, and where the metrics are. With ANSI it redraws in place; without, it prints plain
 * blocks (for logs and dumb terminals).
 */
public final class LiveConsoleView {

    private static final String HOME = "\u001b[H";
    private static final String CLEAR_SCREEN = "\u001b[2J";
    private static final String CLEAR_LINE = "\u001b[K";
    private static final String CLEAR_BELOW = "\u001b[J";
    private static final String HIDE_CURSOR = "\u001b[?25l";
    private static final String SHOW_CURSOR = "\u001b[?25h";
    private static final String GREEN = "\u001b[32m";
    private static final String RED = "\u001b[31m";
    private static final String YELLOW = "\u001b[33m";
    private static final String BOLD = "\u001b[1m";
    private static final String DIM = "\u001b[2m";
    private static final String RESET = "\u001b[0m";
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private final boolean ansi;
    private boolean firstFrame = true;

    public LiveConsoleView(boolean ansi) {
        this.ansi = ansi;
    }

    /**
     * The text that draws one frame of the view.
     *
     * @param header lines shown above the table (broker, model, metrics URL)
     * @param nowMicros wall-clock time of the snapshot
     */
    public String render(List<String> header, DemoScoreboard.Snapshot snapshot, long nowMicros) {
        List<String> lines = new ArrayList<>(header);
        lines.add("");
        lines.add(bold(String.format(Locale.ROOT, "%-12s %-20s %-20s %6s  %-20s %-10s %-10s", "device", "playing now",
                "recognised", "conf", "truth of window", "windows", "sequences")));
        for (DemoScoreboard.DeviceRow row : snapshot.devices()) {
            lines.add(deviceLine(row, nowMicros));
        }
        lines.add("");
        lines.add(String.format(Locale.ROOT, "events %d   accuracy: windows %s   sequences %s   alerts %d",
                snapshot.events(), ratio(snapshot.windowsCorrect(), snapshot.windowsJudged()),
                ratio(snapshot.sequencesCorrect(), snapshot.sequencesJudged()), snapshot.alerts()));
        lines.add("");
        lines.add(bold("alerts"));
        if (snapshot.recentAlerts().isEmpty()) {
            lines.add(dim("  none yet"));
        }
        for (ObservedAlert alert : snapshot.recentAlerts()) {
            String state = alert.raised() ? colour(RED, "RAISED ") : colour(GREEN, "CLEARED");
            lines.add(String.format(Locale.ROOT, "  %s %s %-8s %-18s %-12s track %d  %s", CLOCK.format(micros(alert.atMicros())),
                    state, alert.severity(), alert.ruleId(), alert.deviceId(), alert.trackId(), alert.label()));
        }
        StringBuilder out = new StringBuilder();
        if (ansi) {
            out.append(firstFrame ? HIDE_CURSOR + CLEAR_SCREEN + HOME : HOME);
            for (String line : lines) {
                out.append(line).append(CLEAR_LINE).append('\n');
            }
            out.append(CLEAR_BELOW);
        } else {
            out.append("---- ").append(CLOCK.format(micros(nowMicros))).append(" UTC\n");
            for (String line : lines) {
                out.append(line).append('\n');
            }
        }
        firstFrame = false;
        return out.toString();
    }

    /** Restores the cursor after the last frame. */
    public String finish() {
        return ansi ? SHOW_CURSOR : "";
    }

    private String deviceLine(DemoScoreboard.DeviceRow row, long nowMicros) {
        String playing = row.playingNow().orElse("-");
        String recognised = "-";
        String confidence = "";
        String truth = "";
        if (row.latest().isPresent()) {
            ObservedAction latest = row.latest().get();
            boolean stale = nowMicros - latest.windowEndMicros() > 5_000_000;
            recognised = latest.label() + (stale ? " (old)" : "");
            confidence = String.format(Locale.ROOT, "%5.1f%%", latest.confidence() * 100);
            truth = row.latestTruth().orElse("?");
        }
        String mark = "";
        if (row.latest().isPresent() && row.latestTruth().isPresent()) {
            mark = row.latest().get().label().equals(row.latestTruth().get()) ? colour(GREEN, " ok") : colour(RED, " x");
        }
        String recognisedCell = pad(recognised, 20);
        if (row.latest().isPresent() && row.latestTruth().isPresent()) {
            boolean right = row.latest().get().label().equals(row.latestTruth().get());
            recognisedCell = colour(right ? GREEN : YELLOW, recognisedCell);
        }
        return String.format(Locale.ROOT, "%-12s %-20s %s %6s  %-20s %-10s %-10s", row.deviceId(), pad(playing, 20),
                recognisedCell, confidence, pad(truth, 17) + mark, ratio(row.windowsCorrect(), row.windowsJudged()),
                ratio(row.sequencesCorrect(), row.sequencesJudged()));
    }

    private static String ratio(long correct, long judged) {
        if (judged == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%d/%d %.0f%%", correct, judged, 100.0 * correct / judged);
    }

    private static String pad(String text, int width) {
        String cut = text.length() > width ? text.substring(0, width - 1) + "~" : text;
        return String.format(Locale.ROOT, "%-" + width + "s", cut);
    }

    private String bold(String text) {
        return colour(BOLD, text);
    }

    private String dim(String text) {
        return colour(DIM, text);
    }

    private String colour(String code, String text) {
        return ansi ? code + text + RESET : text;
    }

    private static Instant micros(long epochMicros) {
        return Instant.ofEpochSecond(Math.floorDiv(epochMicros, 1_000_000L), Math.floorMod(epochMicros, 1_000_000L) * 1000);
    }
}
