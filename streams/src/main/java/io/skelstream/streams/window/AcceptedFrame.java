package io.skelstream.streams.window;

import java.util.List;

/**
 * A frame that passed every check, with its bodies already in the model's layout: what the intake processor hands to
 * the window processor. The raw key and value are kept (not copied) so a frame found late can still be dead-lettered
 * byte for byte.
 *
 * @param deviceKey    {@link TrackKeys#deviceKey} of {@code deviceId}, computed once
 * @param captureMicros capture time, microseconds since the epoch
 */
public record AcceptedFrame(String deviceId, byte[] deviceKey, long captureMicros, long sequence, List<TrackBody> bodies,
                            byte[] rawKey, byte[] rawValue) {

    /**
     * One body: its track id and its joints in the model's layout as V*3 little-endian float32 (the frame store's value
     * format, so it is stored without conversion).
     */
    public record TrackBody(long trackId, byte[] joints) {
    }
}
