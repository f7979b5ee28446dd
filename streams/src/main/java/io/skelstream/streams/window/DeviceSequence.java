package io.skelstream.streams.window;

import java.nio.ByteBuffer;

/**
 * Recently seen sequence numbers of one device, to drop frames a producer sent twice: the highest sequence seen plus
 * a 64-bit map of which of the 64 sequences up to it were seen (the anti-replay window of IPsec). 32 bytes in the
 * device store.
 *
 * @param highest      highest sequence seen (or -1 before the first frame)
 * @param seen         bit i set when sequence {@code highest - i} was seen
 * @param newestMicros capture time of the frame that carried {@code highest}; tells a device restart (sequence back
 *                     near 0 but time moving on) from a replay
 * @param lastSeenWallMillis wall-clock time of the device's last frame (a silent device's entry is freed)
 */
public record DeviceSequence(long highest, long seen, long newestMicros, long lastSeenWallMillis) {

    static final int BYTES = 32;
    private static final int SPAN = 64;

    public static final DeviceSequence NONE = new DeviceSequence(-1, 0, Long.MIN_VALUE, Long.MIN_VALUE);

    /** Whether {@code sequence} was already seen within the last 64 sequences. */
    public boolean hasSeen(long sequence) {
        if (sequence > highest || highest - sequence >= SPAN) {
            return false;
        }
        return (seen & (1L << (highest - sequence))) != 0;
    }

    /** Records {@code sequence}; a sequence far below the highest with a newer capture time means the device restarted. */
    public DeviceSequence record(long sequence, long captureMicros, long wallMillis) {
        if (sequence > highest) {
            long shift = sequence - highest;
            long shifted = shift >= SPAN ? 0 : seen << shift;
            return new DeviceSequence(sequence, shifted | 1L, Math.max(newestMicros, captureMicros), wallMillis);
        }
        if (highest - sequence < SPAN) {
            return new DeviceSequence(highest, seen | (1L << (highest - sequence)), newestMicros, wallMillis);
        }
        if (captureMicros > newestMicros) {
            return new DeviceSequence(sequence, 1L, captureMicros, wallMillis);
        }
        return new DeviceSequence(highest, seen, newestMicros, wallMillis);
    }

    public byte[] toBytes() {
        return ByteBuffer.allocate(BYTES).putLong(highest).putLong(seen).putLong(newestMicros)
                .putLong(lastSeenWallMillis).array();
    }

    public static DeviceSequence fromBytes(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new DeviceSequence(buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong());
    }
}
