package io.skelstream.it.bench;

import io.skelstream.it.harness.PoseFrames;
import java.nio.charset.StandardCharsets;

/**
 * Simulated pose devices: device {@code i} is called {@code <prefix>-<i>} and sees one moving person (track 1),
 * frames numbered from 0 per device. Keys are the device id in UTF-8, as a device would key its frames.
 */
final class SyntheticDevices {

    private final String prefix;

    SyntheticDevices(String prefix) {
        this.prefix = prefix;
    }

    String deviceId(int device) {
        return prefix + "-" + device;
    }

    byte[] key(int device) {
        return deviceId(device).getBytes(StandardCharsets.UTF_8);
    }

    /** Avro single-object bytes of frame {@code sequence} of a device, captured at {@code captureMicros}. */
    byte[] frame(String deviceId, long captureMicros, long sequence) {
        return PoseFrames.encode(PoseFrames.frame(deviceId, captureMicros, sequence, 1L));
    }
}
