package io.skelstream.streams.replay;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import io.skelstream.schemas.SkelSerdes;
import io.skelstream.schemas.avro.Body;
import io.skelstream.schemas.avro.PoseFrame;

/**
 * Publishes replayed frames to the poses topic as Avro {@code PoseFrame}s, key = device id, through an idempotent
 * producer (retries never duplicate or reorder a device's frames).
 */
public final class KafkaFrameSink implements FrameSink {

    private final KafkaProducer<String, PoseFrame> producer;
    private final String topic;
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

    /**
     * @param clientProperties Kafka client settings (bootstrap servers, security, ...); win over our defaults
     */
    public KafkaFrameSink(Map<String, String> clientProperties, String topic) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, "skelstream-replay");
        settings.putAll(clientProperties);
        this.producer = new KafkaProducer<>(settings, new StringSerializer(), SkelSerdes.poseFrame().serializer());
        this.topic = topic;
    }

    @Override
    public void publish(ReplayFrame frame) {
        throwIfFailed();
        PoseFrame record = toPoseFrame(frame);
        producer.send(new ProducerRecord<>(topic, frame.deviceId(), record), (metadata, error) -> {
            if (error != null) {
                firstFailure.compareAndSet(null, error);
            }
        });
    }

    @Override
    public void flush() {
        producer.flush();
        throwIfFailed();
    }

    @Override
    public void close() {
        producer.close();
    }

    private void throwIfFailed() {
        Exception failure = firstFailure.get();
        if (failure != null) {
            throw new ReplayPublishException("publishing to topic " + topic + " failed: " + failure.getMessage(), failure);
        }
    }

    /** The Avro record of a frame: joints as little-endian float32, V x 3, joint-major. */
    public static PoseFrame toPoseFrame(ReplayFrame frame) {
        List<Body> bodies = new ArrayList<>(frame.bodies().size());
        for (ReplayFrame.Body body : frame.bodies()) {
            ByteBuffer joints = ByteBuffer.allocate(body.joints().length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            joints.asFloatBuffer().put(body.joints());
            bodies.add(Body.newBuilder().setTrackId(body.trackId()).setJoints(joints).setConfidence(null).build());
        }
        long micros = frame.captureTimeMicros();
        return PoseFrame.newBuilder()
                .setDeviceId(frame.deviceId())
                .setCaptureTime(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000))
                .setSequence(frame.sequence())
                .setLayout(frame.layout())
                .setBodies(bodies)
                .build();
    }
}
