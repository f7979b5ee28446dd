package io.skelstream.streams.topology;

import io.skelstream.schemas.BadRecordException;
import io.skelstream.schemas.JointMapping;
import io.skelstream.schemas.PoseFrameValidator;
import io.skelstream.schemas.SingleObjectCodec;
import io.skelstream.schemas.SkeletonLayout;
import io.skelstream.schemas.SkeletonLayouts;
import io.skelstream.schemas.ValidPoseFrame;
import io.skelstream.schemas.ValidationLimits;
import io.skelstream.schemas.avro.Body;
import io.skelstream.schemas.avro.ErrorKind;
import io.skelstream.schemas.avro.PoseFrame;
import io.skelstream.streams.metrics.PipelineMetrics;
import io.skelstream.streams.window.AcceptedFrame;
import io.skelstream.streams.window.TrackKeys;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * First processor: decodes and validates every input record and maps its bodies into the model's layout. Anything
 * wrong goes to the dead-letter sink with its kind and reason and the stream goes on: the source reads raw bytes
 * (never a deserializer that can throw inside Kafka Streams), so no input can stop the task.
 *
 * <p>Checks: Avro single-object decoding (EMPTY_MESSAGE, BAD_MAGIC, UNKNOWN_SCHEMA, TRUNCATED, CORRUPT_BODY), then the
 * schemas module's {@link PoseFrameValidator} (device id, key, timestamps against this task's wall clock, sequence,
 * layout, bodies, joints, confidence), then whether the frame's layout maps onto the model's (LAYOUT_MISMATCH). Any
 * other failure on a record becomes a PROCESSING_ERROR dead letter rather than a crashed task.
 */
public final class FrameIntakeProcessor implements Processor<byte[], byte[], Object, Object> {

    private final SingleObjectCodec<PoseFrame> codec;
    private final SkeletonLayouts layouts;
    private final SkeletonLayout modelLayout;
    private final ValidationLimits limits;
    private final PipelineMetrics metrics;
    private final String deadLetterSink;
    private final String windowsChild;
    private final ProcessorWallClock clock = new ProcessorWallClock();
    private final Map<String, JointMapping> mappings = new HashMap<>();
    private PoseFrameValidator validator;
    private ProcessorContext<Object, Object> context;

    FrameIntakeProcessor(SingleObjectCodec<PoseFrame> codec, SkeletonLayouts layouts, SkeletonLayout modelLayout,
                         ValidationLimits limits, PipelineMetrics metrics, String deadLetterSink, String windowsChild) {
        this.codec = codec;
        this.layouts = layouts;
        this.modelLayout = modelLayout;
        this.limits = limits;
        this.metrics = metrics;
        this.deadLetterSink = deadLetterSink;
        this.windowsChild = windowsChild;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.validator = new PoseFrameValidator(layouts, limits, clock);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        metrics.frameIn();
        byte[] rawKey = record.key();
        byte[] rawValue = record.value();
        String deviceId = null;
        try {
            PoseFrame frame = codec.decode(rawValue);
            deviceId = frame.getDeviceId();
            clock.set(context.currentSystemTimeMs());
            String key = rawKey == null ? null : new String(rawKey, StandardCharsets.UTF_8);
            ValidPoseFrame valid = validator.validate(key, frame);
            JointMapping mapping = mappingFrom(valid.layout());
            if (!mapping.isUsable()) {
                throw new BadRecordException(ErrorKind.LAYOUT_MISMATCH, "PoseFrame from device '" + deviceId
                        + "': layout " + valid.layout().name() + " cannot be mapped onto the model's layout "
                        + modelLayout.name() + " (" + mapping + "; the model's centre joints or half its joints"
                        + " would be absent)");
            }
            context.forward(record.withKey((Object) deviceId).withValue(accepted(valid, mapping, rawKey, rawValue)),
                    windowsChild);
        } catch (BadRecordException e) {
            DeadLetters.send(context, deadLetterSink, metrics, rawKey, rawValue, e.kind(), e.getMessage(), deviceId);
        } catch (RuntimeException e) {
            DeadLetters.send(context, deadLetterSink, metrics, rawKey, rawValue, ErrorKind.PROCESSING_ERROR,
                    "unexpected failure on a pose frame" + (deviceId == null ? "" : " from device '" + deviceId + "'")
                            + ": " + e, deviceId);
        }
    }

    private JointMapping mappingFrom(SkeletonLayout source) {
        return mappings.computeIfAbsent(source.name(), name -> JointMapping.between(source, modelLayout));
    }

    /** Each body's joints as the frame store keeps them: model layout, V*3 little-endian float32. */
    private static AcceptedFrame accepted(ValidPoseFrame valid, JointMapping mapping, byte[] rawKey, byte[] rawValue) {
        PoseFrame frame = valid.frame();
        List<AcceptedFrame.TrackBody> bodies = new ArrayList<>(valid.bodies().size());
        List<Body> rawBodies = frame.getBodies();
        for (int b = 0; b < valid.bodies().size(); b++) {
            ValidPoseFrame.Body body = valid.bodies().get(b);
            byte[] joints;
            if (mapping.isIdentity()) {
                // Already the store's format: copy the Avro bytes as they are.
                ByteBuffer source = rawBodies.get(b).getJoints().duplicate();
                joints = new byte[source.remaining()];
                source.get(joints);
            } else {
                float[] mapped = new float[mapping.target().jointCount() * 3];
                mapping.map(body.joints(), 0, mapped, 0);
                ByteBuffer out = ByteBuffer.allocate(mapped.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                out.asFloatBuffer().put(mapped);
                joints = out.array();
            }
            bodies.add(new AcceptedFrame.TrackBody(body.trackId(), joints));
        }
        Instant captured = frame.getCaptureTime();
        long micros = Math.addExact(Math.multiplyExact(captured.getEpochSecond(), 1_000_000L), captured.getNano() / 1000);
        return new AcceptedFrame(frame.getDeviceId(), TrackKeys.deviceKey(frame.getDeviceId()), micros,
                frame.getSequence(), bodies, rawKey, rawValue);
    }
}
