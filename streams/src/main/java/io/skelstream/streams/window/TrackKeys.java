package io.skelstream.streams.window;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Binary keys of the window stores, chosen so that byte order is the order we scan in:
 * <pre>
 * device key : [u16 length][device id, UTF-8]
 * track key  : device key + [i64 track id, big-endian, sign bit flipped]
 * frame key  : track key  + [i64 capture time, microseconds since the epoch, big-endian, sign bit flipped]
 * </pre>
 * A range scan over one track key's frames yields that track's frames in capture-time order, and a scan over a device
 * key yields its tracks. The sign flip keeps negative ids in order under the stores' unsigned byte comparison.
 */
public final class TrackKeys {

    private static final long SIGN = Long.MIN_VALUE;

    private TrackKeys() {
    }

    public static byte[] deviceKey(String deviceId) {
        byte[] id = deviceId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + id.length).putShort((short) id.length).put(id).array();
    }

    public static Bytes trackKey(byte[] deviceKey, long trackId) {
        return Bytes.wrap(ByteBuffer.allocate(deviceKey.length + 8).put(deviceKey).putLong(trackId ^ SIGN).array());
    }

    public static Bytes frameKey(Bytes trackKey, long captureMicros) {
        byte[] track = trackKey.get();
        return Bytes.wrap(ByteBuffer.allocate(track.length + 8).put(track).putLong(captureMicros ^ SIGN).array());
    }

    /** Smallest and largest frame keys of a track (inclusive bounds of a range scan over all its frames). */
    public static Bytes firstFrameKey(Bytes trackKey) {
        return frameKey(trackKey, Long.MIN_VALUE);
    }

    public static Bytes lastFrameKey(Bytes trackKey) {
        return frameKey(trackKey, Long.MAX_VALUE);
    }

    /** Smallest and largest track keys of a device. */
    public static Bytes firstTrackKey(byte[] deviceKey) {
        return trackKey(deviceKey, Long.MIN_VALUE);
    }

    public static Bytes lastTrackKey(byte[] deviceKey) {
        return trackKey(deviceKey, Long.MAX_VALUE);
    }

    /** The capture time (microseconds) at the end of a frame key, or a pending-window key's window end. */
    public static long trailingTime(Bytes key) {
        byte[] bytes = key.get();
        return ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong() ^ SIGN;
    }

    /** The track id at the end of a track key. */
    public static long trackIdOf(Bytes trackKey) {
        byte[] bytes = trackKey.get();
        return ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong() ^ SIGN;
    }

    /** The track key a frame key (or pending-window key) starts with. */
    public static Bytes trackKeyOf(Bytes frameKey) {
        byte[] bytes = frameKey.get();
        byte[] track = new byte[bytes.length - 8];
        System.arraycopy(bytes, 0, track, 0, track.length);
        return Bytes.wrap(track);
    }

    /** The device id a track, frame or device key starts with. */
    public static String deviceIdOf(byte[] key) {
        int length = ((key[0] & 0xff) << 8) | (key[1] & 0xff);
        return new String(key, 2, length, StandardCharsets.UTF_8);
    }

    /** The device key a track, frame or pending-window key starts with. */
    public static byte[] deviceKeyOf(byte[] key) {
        int length = ((key[0] & 0xff) << 8) | (key[1] & 0xff);
        byte[] device = new byte[2 + length];
        System.arraycopy(key, 0, device, 0, device.length);
        return device;
    }
}
