package io.skelstream.streams.live;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest raw pose record per device, latest wins. Written by the feed thread ({@link #put}, never blocks: one map
 * entry per device, so memory is bounded by the number of devices), read by the pose ticker, which decodes only the
 * devices a page follows and only when a newer frame came in since it last looked.
 */
public final class LatestPoses {

    /** A raw single-object-encoded PoseFrame and a per-device counter that changes with every newer frame. */
    public record Latest(byte[] value, long version) {
    }

    private final Map<String, Latest> latest = new ConcurrentHashMap<>();

    /** Replaces the device's frame with a newer one. */
    public void put(String device, byte[] value) {
        latest.merge(device, new Latest(value, 1), (old, now) -> new Latest(now.value(), old.version() + 1));
    }

    /** The device's latest frame, or null when none was seen. */
    public Latest get(String device) {
        return latest.get(device);
    }
}
