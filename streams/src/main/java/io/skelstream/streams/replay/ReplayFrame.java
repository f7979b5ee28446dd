package io.skelstream.streams.replay;

import java.util.List;

/**
 * One frame a simulated device publishes: what becomes a {@code PoseFrame} on the poses topic.
 *
 * @param deviceId the device (and record key)
 * @param captureTimeMicros capture time, microseconds since the epoch (wall-clock based)
 * @param sequence per-device frame counter; dropped frames leave gaps
 * @param layout skeleton layout of every body
 * @param bodies the persons present in the frame (absent persons are left out)
 */
public record ReplayFrame(String deviceId, long captureTimeMicros, long sequence, String layout, List<Body> bodies) {

    public ReplayFrame {
        bodies = List.copyOf(bodies);
    }

    /**
     * @param trackId stable per person slot of the device
     * @param joints V*3 floats, joint-major x y z in metres; an absent joint is 0 0 0
     */
    public record Body(long trackId, float[] joints) {
    }
}
