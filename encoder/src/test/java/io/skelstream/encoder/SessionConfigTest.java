package io.skelstream.encoder;

import static io.skelstream.encoder.ModelDescriptionTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** ONNX Runtime session entries given through {@link EncoderOptions#sessionConfig()} reach the session. */
class SessionConfigTest {

    @Test
    void shouldRefuseAnEntryWithoutKeyOrValue() {
        Map<String, String> noValue = new HashMap<>();
        noValue.put("session.dynamic_block_base", null);
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
                () -> EncoderOptions.builder().sessionConfigEntry(" ", "1").build());
        assertContains(blank.getMessage(), "sessionConfig entries need a key and a value");
        assertThrows(IllegalArgumentException.class, () -> EncoderOptions.builder().sessionConfig(noValue).build());
    }

    @Test
    void shouldKeepItsOwnCopyOfTheEntries() {
        Map<String, String> entries = new HashMap<>(Map.of("session.dynamic_block_base", "4"));
        EncoderOptions options = EncoderOptions.builder().sessionConfig(entries).build();
        entries.put("session.dynamic_block_base", "8");

        assertEquals(Map.of("session.dynamic_block_base", "4"), options.sessionConfig());
        assertEquals(options, options.toBuilder().build());
        assertThrows(UnsupportedOperationException.class, () -> options.sessionConfig().put("k", "v"));
    }

    @Test
    void shouldPassEntriesToTheSession() {
        // a value ONNX Runtime cannot parse fails the session: proof that the entry got there
        EncoderOptions bad = EncoderOptions.builder().provider(ExecutionProvider.CPU).intraOpThreads(2)
                .sessionConfigEntry("session.intra_op_thread_affinities", "not-a-processor").build();
        ModelContractException error = assertThrows(ModelContractException.class,
                () -> ActionEncoder.open(TinyModel.valid(), bad));
        assertContains(error.getMessage(), "cannot be loaded by ONNX Runtime");
    }

    @Test
    void shouldGiveTheSameResultsWithSchedulingEntries() {
        EncoderOptions plain = EncoderOptions.builder().provider(ExecutionProvider.CPU).intraOpThreads(2).build();
        EncoderOptions tuned = plain.toBuilder().sessionConfigEntry("session.dynamic_block_base", "4")
                .sessionConfigEntry("session.intra_op.allow_spinning", "1").build();
        try (ActionEncoder a = ActionEncoder.open(TinyModel.valid(), plain);
             ActionEncoder b = ActionEncoder.open(TinyModel.valid(), tuned)) {
            Random random = new Random(7);
            List<float[]> windows = List.of(TinyModel.randomWindow(random), TinyModel.randomWindow(random),
                    TinyModel.randomWindow(random));
            WindowBatch first = a.newBatch(windows.size());
            WindowBatch second = b.newBatch(windows.size());
            TinyModel.fill(first, windows);
            TinyModel.fill(second, windows);
            List<WindowResult> expected = a.run(first);
            List<WindowResult> actual = b.run(second);
            assertEquals(windows.size(), actual.size());
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(expected.get(i).probabilities(), actual.get(i).probabilities(), 0f);
                assertArrayEquals(expected.get(i).embedding(), actual.get(i).embedding(), 0f);
            }
        }
    }
}
