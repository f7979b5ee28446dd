package io.skelstream.schemas;

import io.skelstream.schemas.avro.ActionEvent;
import io.skelstream.schemas.avro.Alert;
import io.skelstream.schemas.avro.DeadLetter;
import io.skelstream.schemas.avro.PoseFrame;
import org.apache.avro.specific.SpecificRecord;

/** Ready-made serdes for SkelStream's topics; each call returns a shared, thread-safe instance. */
public final class SkelSerdes {
    private static final SingleObjectSerde<PoseFrame> POSE_FRAME = forRecord(PoseFrame.class);
    private static final SingleObjectSerde<ActionEvent> ACTION_EVENT = forRecord(ActionEvent.class);
    private static final SingleObjectSerde<Alert> ALERT = forRecord(Alert.class);
    private static final SingleObjectSerde<DeadLetter> DEAD_LETTER = forRecord(DeadLetter.class);

    private SkelSerdes() {
    }

    /** Values of {@code skel.poses}. */
    public static SingleObjectSerde<PoseFrame> poseFrame() {
        return POSE_FRAME;
    }

    /** Values of {@code skel.actions}. */
    public static SingleObjectSerde<ActionEvent> actionEvent() {
        return ACTION_EVENT;
    }

    /** Values of {@code skel.alerts}. */
    public static SingleObjectSerde<Alert> alert() {
        return ALERT;
    }

    /** Values of {@code skel.poses.dlq}. */
    public static SingleObjectSerde<DeadLetter> deadLetter() {
        return DEAD_LETTER;
    }

    /** A serde for any generated record class, reading every version in its {@link SchemaHistory}. */
    public static <T extends SpecificRecord> SingleObjectSerde<T> forRecord(Class<T> type) {
        return new SingleObjectSerde<>(SingleObjectCodec.forRecord(type));
    }
}
