package io.skelstream.encoder;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Objects;

/**
 * Reusable memory for one batch of windows, made by {@link ActionEncoder#newBatch(int)}.
 *
 * <p>The caller claims a zeroed slot with {@link #add()}, writes one window into {@link #window(int)} and, once the
 * batch is full or its wait is over, hands it to {@link ActionEncoder#run(WindowBatch)}, then {@link #clear()}s it for
 * the next batch. ONNX Runtime reads the windows straight from this batch's direct buffer and writes logits and
 * embeddings into two more direct buffers of this batch, so a run copies nothing and allocates nothing but its small
 * result objects.
 *
 * <p>Not thread-safe: one batch per caller thread. The encoder itself is shared.
 */
public final class WindowBatch {
    private final int capacity;
    private final int windowFloats;
    private final int labelCount;
    private final int embeddingDim;

    /** [capacity][T][M][V][3] float32, native byte order, metres. */
    private final FloatBuffer joints;
    /** [capacity][K] float32, written by ONNX Runtime. */
    private final FloatBuffer logits;
    /** [capacity][D] float32, written by ONNX Runtime. */
    private final FloatBuffer embeddings;
    /** One view of T*M*V*3 floats per slot, made once. */
    private final FloatBuffer[] slots;
    private final float[] zeroWindow;
    private int size;

    WindowBatch(int capacity, ModelDescription model) {
        if (capacity < 1) {
            throw new IllegalArgumentException("batch capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
        this.windowFloats = model.windowFloats();
        this.labelCount = model.labelCount();
        this.embeddingDim = model.embeddingDim();
        this.joints = directFloats((long) capacity * windowFloats, "joints");
        this.logits = directFloats((long) capacity * labelCount, "logits");
        this.embeddings = directFloats((long) capacity * embeddingDim, "embeddings");
        this.slots = new FloatBuffer[capacity];
        for (int i = 0; i < capacity; i++) {
            slots[i] = joints.duplicate().position(i * windowFloats).limit((i + 1) * windowFloats).slice();
        }
        this.zeroWindow = new float[windowFloats];
    }

    private static FloatBuffer directFloats(long floats, String what) {
        if (floats * Float.BYTES > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "batch too large: " + what + " would need " + floats * Float.BYTES + " bytes (max 2 GiB)");
        }
        return ByteBuffer.allocateDirect((int) floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** Most windows this batch holds. */
    public int capacity() {
        return capacity;
    }

    /** Windows added since the last {@link #clear()}. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public boolean isFull() {
        return size == capacity;
    }

    /** Floats in one window: T * M * V * 3. */
    public int windowFloats() {
        return windowFloats;
    }

    /** Forgets every window; the memory is kept for the next batch. */
    public void clear() {
        size = 0;
    }

    /**
     * Claims the next slot, zeroed (zero means an absent joint or person), and returns its index.
     *
     * @throws IllegalStateException when the batch is full
     */
    public int add() {
        if (size == capacity) {
            throw new IllegalStateException("window batch is full (capacity " + capacity + ")");
        }
        int index = size++;
        FloatBuffer slot = slots[index];
        slot.clear();
        slot.put(zeroWindow);
        slot.clear();
        return index;
    }

    /**
     * The slot {@code index}: a view of T*M*V*3 floats in [T][M][V][3] order (x, y, z in metres), position 0. Write
     * with absolute or relative puts; the view is the batch's own memory, not a copy.
     *
     * @throws IndexOutOfBoundsException when {@code index} is not a slot added since the last {@link #clear()}
     */
    public FloatBuffer window(int index) {
        Objects.checkIndex(index, size);
        return slots[index].clear();
    }

    /** The first {@code size} windows, [size][T][M][V][3], for the input tensor. */
    FloatBuffer jointsOfFirst(int count) {
        return joints.clear().limit(count * windowFloats);
    }

    /** Space for [count][K] logits. */
    FloatBuffer logitsOfFirst(int count) {
        return logits.clear().limit(count * labelCount);
    }

    /** Space for [count][D] embeddings. */
    FloatBuffer embeddingsOfFirst(int count) {
        return embeddings.clear().limit(count * embeddingDim);
    }

    int labelCount() {
        return labelCount;
    }

    int embeddingDim() {
        return embeddingDim;
    }
}
