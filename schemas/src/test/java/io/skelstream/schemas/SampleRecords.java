package io.skelstream.schemas;

import io.skelstream.schemas.avro.ActionEvent;
import io.skelstream.schemas.avro.Alert;
import io.skelstream.schemas.avro.AlertEvidence;
import io.skelstream.schemas.avro.AlertSeverity;
import io.skelstream.schemas.avro.AlertState;
import io.skelstream.schemas.avro.Body;
import io.skelstream.schemas.avro.DeadLetter;
import io.skelstream.schemas.avro.ErrorKind;
import io.skelstream.schemas.avro.LabelScore;
import io.skelstream.schemas.avro.PoseFrame;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Realistic records for tests, built from a seed so every test sees different but repeatable values. */
final class SampleRecords {
    static final Instant T0 = Instant.parse("2026-11-21T12:00:00.123456Z");

    private SampleRecords() {
    }

    /** V*3 coordinates of a standing person about 2-3 m in front of the camera. */
    static float[] joints(Random random, int jointCount) {
        float[] xyz = new float[jointCount * 3];
        for (int j = 0; j < jointCount; j++) {
            xyz[3 * j] = (random.nextFloat() - 0.5f) * 1.2f;
            xyz[3 * j + 1] = (random.nextFloat() - 0.3f) * 1.8f;
            xyz[3 * j + 2] = 2f + random.nextFloat();
        }
        return xyz;
    }

    static float[] confidence(Random random, int jointCount) {
        float[] c = new float[jointCount];
        for (int j = 0; j < jointCount; j++) {
            c[j] = random.nextFloat();
        }
        return c;
    }

    static PoseFrame poseFrame(long seed, String layoutName, int bodies) {
        Random random = new Random(seed);
        SkeletonLayout layout = SkeletonLayouts.bundled().get(layoutName);
        List<Body> list = new ArrayList<>();
        for (int b = 0; b < bodies; b++) {
            list.add(Body.newBuilder()
                    .setTrackId(100 + b)
                    .setJoints(JointBytes.packJoints(joints(random, layout.jointCount())))
                    .setConfidence(b % 2 == 0 ? JointBytes.packConfidence(confidence(random, layout.jointCount())) : null)
                    .build());
        }
        return PoseFrame.newBuilder()
                .setDeviceId("cam-" + seed)
                .setCaptureTime(T0.plusMillis(33 * seed))
                .setSequence(seed)
                .setLayout(layoutName)
                .setBodies(list)
                .build();
    }

    static PoseFrame poseFrame(long seed) {
        return poseFrame(seed, "ntu25", 2);
    }

    static ActionEvent actionEvent() {
        return ActionEvent.newBuilder()
                .setDeviceId("cam-7")
                .setTrackId(3)
                .setWindowStart(T0)
                .setWindowEnd(T0.plusMillis(2000))
                .setLabel("wave")
                .setConfidence(0.875f)
                .setTopK(List.of(new LabelScore("wave", 0.875f), new LabelScore("clap", 0.1f),
                        new LabelScore("fall", 0.025f)))
                .setModelName("skelstream-tiny")
                .setModelSha256("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
                .setEmittedAt(T0.plusMillis(2050))
                .build();
    }

    static Alert alert(AlertState state) {
        return Alert.newBuilder()
                .setRuleId("fall-critical")
                .setDeviceId("cam-7")
                .setTrackId(3)
                .setLabel("fall")
                .setSeverity(AlertSeverity.CRITICAL)
                .setState(state)
                .setStartedAt(T0)
                .setRaisedAt(T0.plusSeconds(3))
                .setClearedAt(state == AlertState.CLEARED ? T0.plusSeconds(9) : null)
                .setEvidence(List.of(new AlertEvidence(T0, T0.plusSeconds(2), "fall", 0.9f),
                        new AlertEvidence(T0.plusSeconds(1), T0.plusSeconds(3), "fall", 0.95f)))
                .build();
    }

    static DeadLetter deadLetter(boolean withBytes) {
        return DeadLetter.newBuilder()
                .setSourceTopic("skel.poses")
                .setPartition(4)
                .setOffset(123456789L)
                .setKey(withBytes ? ByteBuffer.wrap(new byte[]{'c', 'a', 'm'}) : null)
                .setValue(withBytes ? ByteBuffer.wrap(new byte[]{(byte) 0xC3, 0x01, 0, 1, 2}) : null)
                .setErrorKind(ErrorKind.UNKNOWN_SCHEMA)
                .setReason("PoseFrame: writer schema fingerprint 0001020000000000 is not a version ...")
                .setDeviceId(withBytes ? "cam" : null)
                .setTime(T0)
                .build();
    }
}
