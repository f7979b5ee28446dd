package io.skelstream.streams.topology;

import io.skelstream.schemas.avro.DeadLetter;
import io.skelstream.schemas.avro.ErrorKind;
import io.skelstream.streams.metrics.PipelineMetrics;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Turns an unusable input record into a {@link DeadLetter} on the dead-letter sink: the source topic, partition and
 * offset from the record's metadata, the key and value bytes exactly as read, the error kind and a reason naming the
 * device, track and field. Counted by kind. The record keeps its key bytes so the DLQ is partitioned like the input.
 */
public final class DeadLetters {

    private DeadLetters() {
    }

    public static void send(ProcessorContext<Object, Object> context, String sink, PipelineMetrics metrics,
                            byte[] rawKey, byte[] rawValue, ErrorKind kind, String reason, String deviceId) {
        RecordMetadata source = context.recordMetadata().orElse(null);
        long nowMillis = context.currentSystemTimeMs();
        DeadLetter letter = DeadLetter.newBuilder()
                .setSourceTopic(source == null ? "" : source.topic())
                .setPartition(source == null ? -1 : source.partition())
                .setOffset(source == null ? -1 : source.offset())
                .setKey(rawKey == null ? null : ByteBuffer.wrap(rawKey))
                .setValue(rawValue == null ? null : ByteBuffer.wrap(rawValue))
                .setErrorKind(kind)
                .setReason(reason)
                .setDeviceId(deviceId)
                .setTime(Instant.ofEpochMilli(nowMillis))
                .build();
        metrics.deadLetter(kind.name());
        context.forward(new Record<Object, Object>(rawKey, letter, nowMillis), sink);
    }
}
