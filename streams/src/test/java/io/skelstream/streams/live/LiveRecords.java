package io.skelstream.streams.live;

import java.time.Instant;
import java.util.List;

import io.skelstream.schemas.JointBytes;
import io.skelstream.schemas.SkelSerdes;
import io.skelstream.schemas.avro.ActionEvent;
import io.skelstream.schemas.avro.Alert;
import io.skelstream.schemas.avro.AlertSeverity;
import io.skelstream.schemas.avro.AlertState;
import io.skelstream.schemas.avro.Body;
import io.skelstream.schemas.avro.LabelScore;
import io.skelstream.schemas.avro.PoseFrame;

/** Real Avro records as the processor and the replayer write them, for the live view's tests. */
final class LiveRecords {

    private LiveRecords() {
    }

    static ActionEvent action(String device, long track, String label, float confidence, long windowEndMillis) {
        return ActionEvent.newBuilder().setDeviceId(device).setTrackId(track)
                .setWindowStart(Instant.ofEpochMilli(windowEndMillis - 2000))
                .setWindowEnd(Instant.ofEpochMilli(windowEndMillis)).setLabel(label).setConfidence(confidence)
                .setTopK(List.of(new LabelScore(label, confidence), new LabelScore("other", 1 - confidence)))
                .setModelName("m").setModelSha256("00").setEmittedAt(Instant.ofEpochMilli(windowEndMillis + 100))
                .build();
    }

    static Alert alert(String device, long track, String rule, boolean raised, long atMillis) {
        return Alert.newBuilder().setRuleId(rule).setDeviceId(device).setTrackId(track).setLabel("fall")
                .setSeverity(AlertSeverity.CRITICAL).setState(raised ? AlertState.RAISED : AlertState.CLEARED)
                .setStartedAt(Instant.ofEpochMilli(atMillis - 1000)).setRaisedAt(Instant.ofEpochMilli(atMillis))
                .setClearedAt(raised ? null : Instant.ofEpochMilli(atMillis + 1000)).setEvidence(List.of())
                .build();
    }

    /** A single-object-encoded ntu25 PoseFrame with one body whose joint j is at (j mm, -j cm, 3 m). */
    static byte[] pose(String device, long sequence, long track) {
        float[] xyz = new float[25 * 3];
        for (int j = 0; j < 25; j++) {
            xyz[3 * j] = j / 1000f;
            xyz[3 * j + 1] = -j / 100f;
            xyz[3 * j + 2] = 3f;
        }
        PoseFrame frame = PoseFrame.newBuilder().setDeviceId(device).setCaptureTime(Instant.ofEpochMilli(1_000 + sequence))
                .setSequence(sequence).setLayout("ntu25")
                .setBodies(List.of(Body.newBuilder().setTrackId(track).setJoints(JointBytes.packJoints(xyz)).build()))
                .build();
        return SkelSerdes.poseFrame().serialize("skel.poses", frame);
    }
}
