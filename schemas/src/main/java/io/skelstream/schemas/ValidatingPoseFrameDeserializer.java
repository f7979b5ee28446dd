package io.skelstream.schemas;

import io.skelstream.schemas.avro.PoseFrame;
import org.apache.kafka.common.serialization.Deserializer;

import java.util.Objects;

/**
 * Kafka deserializer that decodes a {@code skel.poses} value and validates it in one step. A bad value
 * raises {@link BadRecordException}: a {@link RecordDecodeException} when it does not decode, an
 * {@link InvalidFrameException} when it breaks the contract (NaN joints, wrong joint byte length, ...).
 * A {@code null} value (tombstone) yields {@code null}. The record key is not visible to a deserializer, so
 * the key check is {@link PoseFrameValidator#validate(String, PoseFrame)}'s job.
 */
public final class ValidatingPoseFrameDeserializer implements Deserializer<ValidPoseFrame> {
    private final SingleObjectCodec<PoseFrame> codec;
    private final PoseFrameValidator validator;

    public ValidatingPoseFrameDeserializer(PoseFrameValidator validator) {
        this.codec = SkelSerdes.poseFrame().codec();
        this.validator = Objects.requireNonNull(validator, "validator");
    }

    /** @throws BadRecordException for any value that is not a valid pose frame */
    @Override
    public ValidPoseFrame deserialize(String topic, byte[] data) {
        return data == null ? null : validator.validate(codec.decode(data));
    }
}
