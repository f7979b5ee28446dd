package io.skelstream.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WindowBatchTest {
    private static ActionEncoder encoder;

    @BeforeAll
    static void open() {
        encoder = ActionEncoder.open(TinyModel.valid(), TinyModel.cpu());
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void shouldHandOutZeroedSlotsOfOneWindowEachInNativeOrder() {
        WindowBatch batch = encoder.newBatch(3);

        int first = batch.add();
        FloatBuffer window = batch.window(first);
        window.put(5, 1.5f);
        int second = batch.add();

        assertEquals(0, first);
        assertEquals(1, second);
        assertEquals(2, batch.size());
        assertEquals(3, batch.capacity());
        assertEquals(TinyModel.WINDOW_FLOATS, window.capacity());
        assertTrue(window.isDirect());
        assertEquals(ByteOrder.nativeOrder(), window.order());
        assertEquals(1.5f, batch.window(first).get(5));
        assertEquals(0f, batch.window(second).get(5));
    }

    @Test
    void shouldZeroASlotAgainWhenItIsReusedAfterClear() {
        WindowBatch batch = encoder.newBatch(1);
        batch.window(batch.add()).put(0, 9f);
        batch.clear();

        assertEquals(0f, batch.window(batch.add()).get(0));
    }

    @Test
    void shouldRefuseAFullBatchAndSlotsNotAdded() {
        WindowBatch batch = encoder.newBatch(1);
        batch.add();

        assertTrue(batch.isFull());
        IllegalStateException full = assertThrows(IllegalStateException.class, batch::add);
        ModelDescriptionTest.assertContains(full.getMessage(), "window batch is full (capacity 1)");
        assertThrows(IndexOutOfBoundsException.class, () -> batch.window(1));
        batch.clear();
        assertThrows(IndexOutOfBoundsException.class, () -> batch.window(0));
        assertThrows(IllegalArgumentException.class, () -> encoder.newBatch(0));
    }
}
