package io.skelstream.schemas;

import java.util.Arrays;
import java.util.Objects;

/**
 * Maps joint arrays from one layout to another through their {@code ntu25_index} (the contract rule): for
 * each joint j of the target, take the source joint with the same ntu25 index; where there is none the
 * target joint stays (0, 0, 0), i.e. absent.
 *
 * <p>Any two layouts have a mapping, but not every mapping is worth using. {@link #isUsable()} says
 * whether it is: every target centre joint is filled (the model centres on them) and at least half of the
 * target joints are. E.g. kinect_v1_20 and h36m17 are usable into ntu25; coco17 and mediapipe33 are not
 * (no spine joint, so ntu25's centre SpineMid would be absent).
 */
public final class JointMapping {
    private final SkeletonLayout source;
    private final SkeletonLayout target;
    /** For each target joint, the source joint it copies, or -1. */
    private final int[] sourceIndex;
    private final int filled;

    private JointMapping(SkeletonLayout source, SkeletonLayout target, int[] sourceIndex) {
        this.source = source;
        this.target = target;
        this.sourceIndex = sourceIndex;
        int count = 0;
        for (int i : sourceIndex) {
            if (i >= 0) {
                count++;
            }
        }
        this.filled = count;
    }

    public static JointMapping between(SkeletonLayout source, SkeletonLayout target) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        int[] index = new int[target.jointCount()];
        Arrays.fill(index, SkeletonLayout.NO_JOINT);
        for (int j = 0; j < index.length; j++) {
            int m = target.ntu25Index(j);
            if (m == SkeletonLayout.NO_JOINT) {
                continue;
            }
            for (int i = 0; i < source.jointCount(); i++) {
                if (source.ntu25Index(i) == m) {
                    index[j] = i;
                    break;
                }
            }
        }
        return new JointMapping(source, target, index);
    }

    public SkeletonLayout source() {
        return source;
    }

    public SkeletonLayout target() {
        return target;
    }

    /** Source joint copied into target joint j, or {@link SkeletonLayout#NO_JOINT}. */
    public int sourceIndex(int targetJoint) {
        return sourceIndex[targetJoint];
    }

    /** Number of target joints that receive a source joint. */
    public int filledJoints() {
        return filled;
    }

    /** True when every centre joint of the target receives a source joint. */
    public boolean coversCentre() {
        for (int c : target.centre()) {
            if (sourceIndex[c] == SkeletonLayout.NO_JOINT) {
                return false;
            }
        }
        return true;
    }

    /** True when the mapping covers the target's centre and at least half of its joints. */
    public boolean isUsable() {
        return coversCentre() && 2 * filled >= target.jointCount();
    }

    /** True when source and target are the same layout (mapping is the identity). */
    public boolean isIdentity() {
        return source.equals(target);
    }

    /**
     * Copies one body: {@code from[fromOffset ..]} holds source V_s x 3 floats, {@code to[toOffset ..]} receives
     * target V_t x 3 floats; unfilled target joints are set to zero.
     */
    public void map(float[] from, int fromOffset, float[] to, int toOffset) {
        for (int j = 0; j < sourceIndex.length; j++) {
            int i = sourceIndex[j];
            int t = toOffset + 3 * j;
            if (i == SkeletonLayout.NO_JOINT) {
                to[t] = 0f;
                to[t + 1] = 0f;
                to[t + 2] = 0f;
            } else {
                int s = fromOffset + 3 * i;
                to[t] = from[s];
                to[t + 1] = from[s + 1];
                to[t + 2] = from[s + 2];
            }
        }
    }

    /** One body, source V_s x 3 floats in, a new target V_t x 3 array out. */
    public float[] map(float[] from) {
        if (from.length != 3 * source.jointCount()) {
            throw new IllegalArgumentException("expected " + 3 * source.jointCount() + " floats for layout "
                    + source.name() + ", got " + from.length);
        }
        float[] to = new float[3 * target.jointCount()];
        map(from, 0, to, 0);
        return to;
    }

    @Override
    public String toString() {
        return source.name() + " -> " + target.name() + " (" + filled + "/" + target.jointCount() + " joints)";
    }
}
