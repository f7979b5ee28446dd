package io.skelstream.it.badinput;

import io.skelstream.it.harness.PoseFrames;
import io.skelstream.schemas.JointMapping;
import io.skelstream.schemas.SkeletonLayout;
import io.skelstream.schemas.SkeletonLayouts;
import io.skelstream.schemas.avro.Body;
import io.skelstream.schemas.avro.ErrorKind;
import io.skelstream.schemas.avro.PoseFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The bad-input corpus: every way a pose message can be wrong that the contract names (DESIGN.md contract 2, the
 * ErrorKind documentation in DeadLetter.avsc, PoseFrameValidator), each with its expected dead-letter kind. Messages
 * that decode carry their own device id ({@code bad-<name>}) so they never touch the good device's tracks; the
 * stateful cases (late frame, repeated sequence) are built by the test on the good device itself.
 */
public final class MalformedCorpus {

    private final Random random = new Random(20261121);
    private final long nowMicros;
    private final String modelLayout;

    /**
     * @param nowMicros   a capture time the app accepts (now or a little before)
     * @param modelLayout the model's layout (LAYOUT_MISMATCH is a layout that cannot be mapped onto it)
     */
    public MalformedCorpus(long nowMicros, String modelLayout) {
        this.nowMicros = nowMicros;
        this.modelLayout = modelLayout;
    }

    public List<MalformedMessage> messages() {
        List<MalformedMessage> all = new ArrayList<>();
        // ---- decoding
        byte[] noise = new byte[64];
        random.nextBytes(noise);
        noise[0] = 0x42;
        all.add(raw("random-bytes", noise, ErrorKind.BAD_MAGIC));
        byte[] wrongMagic = valid("wrong-magic");
        wrongMagic[1] = 0x02;
        all.add(raw("wrong-magic", wrongMagic, ErrorKind.BAD_MAGIC));
        all.add(raw("json-text", "{\"device_id\":\"bad-json-text\"}".getBytes(StandardCharsets.UTF_8),
                ErrorKind.BAD_MAGIC));
        all.add(raw("empty-value", new byte[0], ErrorKind.EMPTY_MESSAGE));
        all.add(raw("null-value", null, ErrorKind.EMPTY_MESSAGE));
        all.add(raw("short-header", new byte[] {(byte) 0xC3, 0x01, 1, 2, 3}, ErrorKind.TRUNCATED));
        byte[] whole = valid("truncated-avro");
        all.add(keyed("truncated-avro", Arrays.copyOf(whole, whole.length - 40), ErrorKind.TRUNCATED));
        byte[] unknown = valid("unknown-fingerprint");
        for (int i = 2; i < 10; i++) {
            unknown[i] = (byte) ~unknown[i];
        }
        all.add(keyed("unknown-fingerprint", unknown, ErrorKind.UNKNOWN_SCHEMA));
        byte[] trailing = valid("trailing-bytes");
        all.add(keyed("trailing-bytes", Arrays.copyOf(trailing, trailing.length + 3), ErrorKind.CORRUPT_BODY));
        byte[] negativeLength = Arrays.copyOf(valid("negative-length"), 11);
        negativeLength[10] = 0x01; // zig-zag -1: a device_id string of negative length
        all.add(raw("negative-string-length", negativeLength, ErrorKind.CORRUPT_BODY));

        // ---- validation of a decoded frame
        all.add(frame("wrong-joint-byte-length", f -> f.getBodies().set(0,
                PoseFrames.body(1, Arrays.copyOf(PoseFrames.joints(nowMicros, 0), PoseFrames.JOINTS * 3 - 1))),
                ErrorKind.WRONG_JOINT_COUNT));
        all.add(frame("nan-coordinate", f -> f.getBodies().set(0, bodyWith(7, Float.NaN)), ErrorKind.NON_FINITE));
        all.add(frame("infinite-coordinate", f -> f.getBodies().set(0, bodyWith(3, Float.POSITIVE_INFINITY)),
                ErrorKind.NON_FINITE));
        all.add(frame("absurd-coordinate", f -> f.getBodies().set(0, bodyWith(5, 12_345f)), ErrorKind.ABSURD_VALUE));
        all.add(frame("unknown-layout", f -> f.setLayout("ntu26"), ErrorKind.UNKNOWN_LAYOUT));
        all.add(frame("empty-layout", f -> f.setLayout(""), ErrorKind.EMPTY_FIELD));
        String unmappable = unmappableLayout();
        all.add(frame("layout-without-mapping-" + unmappable, f -> {
            f.setLayout(unmappable);
            int joints = SkeletonLayouts.bundled().get(unmappable).jointCount();
            float[] xyz = new float[joints * 3];
            Arrays.fill(xyz, 1f);
            f.getBodies().set(0, PoseFrames.body(1, xyz));
        }, ErrorKind.LAYOUT_MISMATCH));
        all.add(frame("future-timestamp", f -> f.setCaptureTime(PoseFrames.instant(nowMicros + 86_400_000_000L)),
                ErrorKind.FUTURE_TIMESTAMP));
        all.add(frame("before-epoch", f -> f.setCaptureTime(PoseFrames.instant(-1_000_000L)),
                ErrorKind.BAD_TIMESTAMP));
        all.add(frame("at-epoch", f -> f.setCaptureTime(PoseFrames.instant(0)), ErrorKind.BAD_TIMESTAMP));
        all.add(frame("negative-sequence", f -> f.setSequence(-5L), ErrorKind.BAD_SEQUENCE));
        all.add(frame("confidence-out-of-range", f -> {
            float[] confidence = new float[PoseFrames.JOINTS];
            Arrays.fill(confidence, 0.9f);
            confidence[4] = 1.5f;
            f.getBodies().get(0).setConfidence(PoseFrames.floats(confidence));
        }, ErrorKind.BAD_CONFIDENCE));
        all.add(frame("confidence-wrong-length", f -> f.getBodies().get(0)
                .setConfidence(PoseFrames.floats(new float[PoseFrames.JOINTS - 2])), ErrorKind.BAD_CONFIDENCE));
        all.add(frame("too-many-bodies", f -> {
            List<Body> crowd = new ArrayList<>();
            for (int track = 1; track <= 80; track++) {
                crowd.add(PoseFrames.body(track, PoseFrames.joints(nowMicros, track)));
            }
            f.setBodies(crowd);
        }, ErrorKind.TOO_MANY_BODIES));
        all.add(frame("duplicate-track-ids", f -> f.setBodies(List.of(
                PoseFrames.body(4, PoseFrames.joints(nowMicros, 0)), PoseFrames.body(4, PoseFrames.joints(nowMicros, 1)))),
                ErrorKind.DUPLICATE_TRACK));

        // ---- device id and key
        String huge = "bad-huge-" + "x".repeat(10_000);
        PoseFrame hugeFrame = PoseFrames.frame(huge, nowMicros, 1, 1);
        all.add(new MalformedMessage("huge-device-id", bytes(huge), PoseFrames.encode(hugeFrame),
                ErrorKind.OVERSIZED_FIELD));
        all.add(new MalformedMessage("empty-device-id", bytes(""), PoseFrames.encode(PoseFrames.frame("", nowMicros, 1, 1)),
                ErrorKind.EMPTY_FIELD));
        all.add(new MalformedMessage("key-device-mismatch", bytes("bad-key-owner"),
                PoseFrames.encode(PoseFrames.frame("bad-key-other", nowMicros, 1, 1)), ErrorKind.KEY_MISMATCH));
        return all;
    }

    /** A layout of layouts.json that cannot be mapped onto the model's (too few of its joints, or no centre). */
    private String unmappableLayout() {
        SkeletonLayouts layouts = SkeletonLayouts.bundled();
        SkeletonLayout target = layouts.get(modelLayout);
        for (SkeletonLayout layout : layouts.all()) {
            if (!JointMapping.between(layout, target).isUsable()) {
                return layout.name();
            }
        }
        throw new IllegalStateException("every layout of layouts.json maps onto " + modelLayout
                + ", so LAYOUT_MISMATCH cannot be provoked with a known layout");
    }

    private Body bodyWith(int joint, float value) {
        float[] xyz = PoseFrames.joints(nowMicros, 0);
        xyz[joint * 3 + 1] = value;
        return PoseFrames.body(1, xyz);
    }

    private byte[] valid(String name) {
        return PoseFrames.encode(PoseFrames.frame(device(name), nowMicros, 1, 1));
    }

    private interface Edit {
        void apply(PoseFrame frame);
    }

    private MalformedMessage frame(String name, Edit edit, ErrorKind kind) {
        PoseFrame frame = PoseFrames.frame(device(name), nowMicros, 1, 1);
        frame.setBodies(new ArrayList<>(frame.getBodies()));
        edit.apply(frame);
        return keyed(name, PoseFrames.encode(frame), kind);
    }

    private MalformedMessage keyed(String name, byte[] value, ErrorKind kind) {
        return new MalformedMessage(name, bytes(device(name)), value, kind);
    }

    private MalformedMessage raw(String name, byte[] value, ErrorKind kind) {
        return new MalformedMessage(name, bytes(device(name)), value, kind);
    }

    private static String device(String name) {
        return "bad-" + name;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
