package io.skelstream.it.bench;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The devices' side of a benchmark: an asynchronous, batching producer of raw frame bytes (idempotent, acks=all,
 * as a well-configured device fleet would run), so the producer is not what a benchmark measures.
 */
final class FrameProducer implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final java.util.concurrent.atomic.AtomicLong acknowledged = new java.util.concurrent.atomic.AtomicLong();

    FrameProducer(String bootstrapServers, int lingerMs) {
        producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, lingerMs,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    void send(String topic, byte[] key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
            if (error != null) {
                throw new IllegalStateException("cannot send a frame to " + topic + ": " + error.getMessage(), error);
            }
            acknowledged.incrementAndGet();
        });
    }

    /** Frames the broker has acknowledged (written to the topic). */
    long acknowledged() {
        return acknowledged.get();
    }

    /** Waits until every frame sent so far is acknowledged. */
    void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(30));
    }

    static void awaitNanos(long deadlineNanos) {
        long wait = deadlineNanos - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
