package io.skelstream.streams.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Settings of {@code skelstream demo}.
 *
 * @param devices simulated devices replaying the bundled test set
 * @param speed playback speed factor
 * @param duration stop after this long; empty runs until Ctrl-C
 * @param httpPort port of /metrics, /healthz, /readyz (0 = any free port)
 * @param ansi redraw the view in place with ANSI escapes; otherwise print plain blocks
 * @param refresh how often the view is drawn
 * @param dataset a JSON Lines dataset to replay instead of the bundled synthetic test set
 * @param continuousTracks the same track ids for all sequences of a device (see {@code ReplayOptions})
 * @param settings extra SkelStream settings (-D key=value), on top of the demo's own
 */
public record DemoOptions(int devices, double speed, Optional<Duration> duration, int httpPort, boolean ansi,
                          Duration refresh, Optional<Path> dataset, boolean continuousTracks,
                          Map<String, String> settings) {

    public DemoOptions {
        if (devices < 1 || devices > 64) {
            throw new IllegalArgumentException("--devices must be in [1, 64] for the demo, got " + devices);
        }
        settings = Map.copyOf(settings);
    }
}
