package io.skelstream.streams.window;

import java.nio.ByteBuffer;

/**
 * What the window processor remembers about one (device, track) besides its frames; 32 bytes in the track store.
 *
 * @param newestMicros       capture time of the newest frame accepted for the track
 * @param segmentStartMicros capture time of the first frame after the last restart (long gap or new track); no window
 *                           reaches before it
 * @param nextWindowEndMicros capture time at which the next window of the track ends
 * @param lastSeenWallMillis wall-clock time the track last received a frame (drives inactivity expiry)
 */
public record TrackState(long newestMicros, long segmentStartMicros, long nextWindowEndMicros,
                         long lastSeenWallMillis) {

    static final int BYTES = 32;

    /** A track whose first frame (or first frame after a long gap) is at {@code captureMicros}. */
    public static TrackState startingAt(long captureMicros, long windowSpanMicros, long wallMillis) {
        return new TrackState(captureMicros, captureMicros, captureMicros + windowSpanMicros, wallMillis);
    }

    public TrackState withNewest(long captureMicros, long wallMillis) {
        return new TrackState(Math.max(newestMicros, captureMicros), segmentStartMicros, nextWindowEndMicros,
                wallMillis);
    }

    public TrackState withNextWindowEnd(long windowEndMicros) {
        return new TrackState(newestMicros, segmentStartMicros, windowEndMicros, lastSeenWallMillis);
    }

    public byte[] toBytes() {
        return ByteBuffer.allocate(BYTES).putLong(newestMicros).putLong(segmentStartMicros)
                .putLong(nextWindowEndMicros).putLong(lastSeenWallMillis).array();
    }

    public static TrackState fromBytes(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new TrackState(buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong());
    }
}
