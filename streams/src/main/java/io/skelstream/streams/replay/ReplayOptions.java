package io.skelstream.streams.replay;

import java.time.Duration;
import java.util.Optional;

/**
 * How a dataset is played as live device feeds.
 *
 * @param devices number of simulated devices; device i starts at a different sequence of the dataset
 * @param devicePrefix device ids are {@code <prefix>-01}, {@code <prefix>-02}, ...
 * @param outputFps frames per second each device publishes; empty keeps each sequence's own fps (no resampling)
 * @param speed content played per wall-clock second (2 = actions twice as fast); capture times stay wall-clock based
 * @param jitterMillis each capture time is moved by a uniform random offset in [-jitter, +jitter] ms, so frames may
 *                     arrive out of capture order when the jitter exceeds half a frame period
 * @param dropRate probability in [0, 1) that a frame is not published (its sequence number is still used)
 * @param loop start over after the last sequence; otherwise a device stops after one pass
 * @param maxDuration stop after this much wall-clock time, if given
 * @param seed seed of the jitter and drop randomness (reproducible runs)
 * @param continuousTracks person slot m is track m+1 throughout (the same people performing one action after
 *                         another); otherwise every sequence played gets new track ids, as a dataset's sequences are
 *                         separate recordings of different people (the default)
 */
public record ReplayOptions(int devices, String devicePrefix, Optional<Double> outputFps, double speed,
                            double jitterMillis, double dropRate, boolean loop, Optional<Duration> maxDuration, long seed,
                            boolean continuousTracks) {

    /** New track ids for every sequence played. */
    public ReplayOptions(int devices, String devicePrefix, Optional<Double> outputFps, double speed,
                         double jitterMillis, double dropRate, boolean loop, Optional<Duration> maxDuration, long seed) {
        this(devices, devicePrefix, outputFps, speed, jitterMillis, dropRate, loop, maxDuration, seed, false);
    }

    public ReplayOptions {
        if (devices < 1 || devices > 100_000) {
            throw new IllegalArgumentException("--devices must be in [1, 100000], got " + devices);
        }
        if (devicePrefix == null || devicePrefix.isBlank()) {
            throw new IllegalArgumentException("the device id prefix must not be blank");
        }
        if (outputFps.isPresent() && !(outputFps.get() > 0 && outputFps.get() <= 1000)) {
            throw new IllegalArgumentException("--fps must be in (0, 1000], got " + outputFps.get());
        }
        if (!(speed > 0 && speed <= 1000)) {
            throw new IllegalArgumentException("--speed must be in (0, 1000], got " + speed);
        }
        if (!(jitterMillis >= 0 && jitterMillis <= 10_000)) {
            throw new IllegalArgumentException("--jitter-ms must be in [0, 10000], got " + jitterMillis);
        }
        if (!(dropRate >= 0 && dropRate < 1)) {
            throw new IllegalArgumentException("--drop-rate must be in [0, 1), got " + dropRate);
        }
    }

    /** One device, the file's fps, real time, no jitter or drops, one pass. */
    public static ReplayOptions defaults() {
        return new ReplayOptions(1, "device", Optional.empty(), 1.0, 0, 0, false, Optional.empty(), 42);
    }

    /** Device id of device index i (0-based): {@code device-01}. */
    public String deviceId(int index) {
        int width = Math.max(2, String.valueOf(devices).length());
        return devicePrefix + "-" + String.format("%0" + width + "d", index + 1);
    }
}
