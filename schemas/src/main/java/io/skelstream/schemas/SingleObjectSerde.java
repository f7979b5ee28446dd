package io.skelstream.schemas;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.util.Map;
import java.util.Objects;

/**
 * Kafka {@link Serde} (and its own serializer and deserializer) for one record type in Avro single-object
 * encoding. No configuration, no registry; thread-safe.
 *
 * <p>The deserializer returns {@code null} for a {@code null} value (Kafka's tombstone convention) and
 * otherwise either a record or a {@link RecordDecodeException}; nothing else escapes it. A stream that must
 * not drop tombstones treats the {@code null} itself (or calls {@link SingleObjectCodec#decode}, which raises
 * {@code EMPTY_MESSAGE}).
 */
public final class SingleObjectSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {
    private final SingleObjectCodec<T> codec;

    public SingleObjectSerde(SingleObjectCodec<T> codec) {
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    public SingleObjectCodec<T> codec() {
        return codec;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        return data == null ? null : codec.encode(data);
    }

    /** @throws RecordDecodeException for any value that is not a readable record */
    @Override
    public T deserialize(String topic, byte[] data) {
        return data == null ? null : codec.decode(data);
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // nothing to configure: the schemas are built in
    }

    @Override
    public void close() {
        // nothing to release
    }
}
