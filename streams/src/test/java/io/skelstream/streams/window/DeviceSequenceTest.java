package io.skelstream.streams.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DeviceSequenceTest {

    @Test
    void shouldRememberTheLast64SequencesInAnyOrder() {
        DeviceSequence seen = DeviceSequence.NONE;
        for (long s : new long[] {10, 12, 11, 40, 70}) {
            assertFalse(seen.hasSeen(s), "sequence " + s);
            seen = seen.record(s, s * 1000, 0);
        }
        for (long s : new long[] {12, 11, 40, 70}) {
            assertTrue(seen.hasSeen(s), "sequence " + s);
        }
        assertFalse(seen.hasSeen(13));
        assertFalse(seen.hasSeen(10 - 1));
        // 10 is 60 below the highest (70): still remembered; below 64 it is forgotten
        assertTrue(seen.hasSeen(10));
        seen = seen.record(80, 80_000, 0);
        assertFalse(seen.hasSeen(10));
    }

    @Test
    void shouldTreatASequenceBackNearZeroWithNewerCaptureTimeAsADeviceRestart() {
        DeviceSequence seen = DeviceSequence.NONE.record(5_000, 5_000_000, 0);
        DeviceSequence restarted = seen.record(0, 6_000_000, 1);
        assertEquals(0, restarted.highest());
        assertTrue(restarted.hasSeen(0));
        assertFalse(restarted.hasSeen(1));
        assertEquals(restarted, DeviceSequence.fromBytes(restarted.toBytes()));
    }
}
