package io.skelstream.schemas;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JointMappingTest {
    private static final SkeletonLayouts LAYOUTS = SkeletonLayouts.bundled();

    private static float[] joint(float[] xyz, int j) {
        return new float[]{xyz[3 * j], xyz[3 * j + 1], xyz[3 * j + 2]};
    }

    @Test
    void shouldMapKinectV1IntoNtu25LeavingNeckHandTipsAndThumbsAbsent() {
        // given a kinect_v1_20 body
        JointMapping mapping = LAYOUTS.mapping("kinect_v1_20", "ntu25");
        SkeletonLayout v1 = mapping.source();
        SkeletonLayout ntu = mapping.target();
        float[] v1Joints = SampleRecords.joints(new Random(1), v1.jointCount());
        // when
        float[] mapped = mapping.map(v1Joints);
        // then ShoulderCenter lands on SpineShoulder, Spine on SpineMid, same-named joints on themselves
        assertArrayEquals(joint(v1Joints, v1.indexOf("ShoulderCenter")), joint(mapped, ntu.indexOf("SpineShoulder")));
        assertArrayEquals(joint(v1Joints, v1.indexOf("Spine")), joint(mapped, ntu.indexOf("SpineMid")));
        assertArrayEquals(joint(v1Joints, v1.indexOf("KneeRight")), joint(mapped, ntu.indexOf("KneeRight")));
        for (String absent : new String[]{"Neck", "HandTipLeft", "ThumbLeft", "HandTipRight", "ThumbRight"}) {
            assertArrayEquals(new float[3], joint(mapped, ntu.indexOf(absent)), absent);
        }
        assertEquals(20, mapping.filledJoints());
        assertTrue(mapping.isUsable());
    }

    @Test
    void shouldRoundTripThroughNtu25ForEveryJointThatHasACounterpart() {
        for (SkeletonLayout layout : LAYOUTS.all()) {
            // given a body of this layout
            float[] original = SampleRecords.joints(new Random(layout.jointCount()), layout.jointCount());
            // when it goes to ntu25 and back
            float[] back = LAYOUTS.mapping("ntu25", layout.name())
                    .map(LAYOUTS.mapping(layout.name(), "ntu25").map(original));
            // then mapped joints are exact and unmapped ones are absent
            for (int j = 0; j < layout.jointCount(); j++) {
                float[] expected = layout.ntu25Index(j) == SkeletonLayout.NO_JOINT ? new float[3] : joint(original, j);
                assertArrayEquals(expected, joint(back, j), layout + " joint " + layout.jointName(j));
            }
        }
    }

    @Test
    void shouldMapH36mAndCocoJointsBySemantics() {
        JointMapping h36mToCoco = LAYOUTS.mapping("h36m17", "coco17");
        SkeletonLayout h36m = h36mToCoco.source();
        SkeletonLayout coco = h36mToCoco.target();
        assertEquals(h36m.indexOf("LWrist"), h36mToCoco.sourceIndex(coco.indexOf("left_wrist")));
        assertEquals(h36m.indexOf("RAnkle"), h36mToCoco.sourceIndex(coco.indexOf("right_ankle")));
        assertEquals(SkeletonLayout.NO_JOINT, h36mToCoco.sourceIndex(coco.indexOf("left_eye")));
        assertTrue(h36mToCoco.coversCentre(), "coco's centre is the hips, which h36m has");
    }

    @Test
    void shouldCallAMappingUnusableWhenTheTargetCentreIsMissing() {
        // coco17 and mediapipe33 have no spine, so ntu25's centre SpineMid stays absent
        assertFalse(LAYOUTS.mapping("coco17", "ntu25").isUsable());
        assertFalse(LAYOUTS.mapping("mediapipe33", "ntu25").coversCentre());
        assertTrue(LAYOUTS.mapping("h36m17", "ntu25").isUsable());
        assertTrue(LAYOUTS.mapping("ntu25", "ntu25").isIdentity());
        assertTrue(LAYOUTS.mapping("mediapipe33", "coco17").isUsable());
    }

    @Test
    void shouldRejectAnArrayOfTheWrongSize() {
        JointMapping mapping = LAYOUTS.mapping("coco17", "h36m17");
        assertThrows(IllegalArgumentException.class, () -> mapping.map(new float[25 * 3]));
        assertThrows(IllegalArgumentException.class, () -> LAYOUTS.mapping("coco18", "h36m17"));
    }
}
