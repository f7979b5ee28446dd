package io.skelstream.streams.window;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class WindowResamplerTest {

    /** Cases computed by the trainer's resample_window (streams/src/test/python/make_resampling_fixture.py). */
    @Test
    void shouldMatchTheTrainersResamplingBitForBit() throws Exception {
        JsonNode fixture;
        try (InputStream in = getClass().getResourceAsStream("resampling-fixture.json")) {
            fixture = new ObjectMapper().readTree(in);
        }
        int cases = 0;
        for (JsonNode c : fixture.get("cases")) {
            int joints = c.get("joints").asInt();
            int frames = c.get("frames").asInt();
            TrackFrames track = new TrackFrames(joints);
            JsonNode values = c.get("values");
            int i = 0;
            for (JsonNode time : c.get("times_micros")) {
                ByteBuffer bytes = ByteBuffer.allocate(joints * 12).order(ByteOrder.LITTLE_ENDIAN);
                for (int k = 0; k < joints * 3; k++) {
                    bytes.putFloat((float) values.get(i * joints * 3 + k).asDouble());
                }
                track.add(time.asLong(), bytes.array());
                i++;
            }
            float[] expected = new float[frames * joints * 3];
            for (int k = 0; k < expected.length; k++) {
                expected[k] = (float) c.get("expected").get(k).asDouble();
            }
            float[] actual = new float[expected.length];
            new WindowResampler(frames, c.get("fps").asDouble()).resample(track, c.get("end_micros").asLong(), actual);
            assertArrayEquals(expected, actual, 0f, c.get("name").asText());
            cases++;
        }
        assertEquals(9, cases);
    }

    @Test
    void shouldStartTheFirstWindowNoEarlierThanTheSegmentsFirstFrame() {
        WindowResampler resampler = new WindowResampler(64, 30);
        for (long start = 1_795_262_340_000_000L; start < 1_795_262_340_000_000L + 100; start++) {
            long span = resampler.firstSpanMicros(start);
            assertTrue(resampler.sampleTimeSeconds(start + span, 0) >= start / 1e6);
            assertTrue(span <= 2_100_001, "span " + span);
        }
    }
}
