package io.skelstream.schemas;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One skeleton layout from {@code layouts.json}: V joints in a fixed order, the bone tree, the joints whose
 * mean is the body centre, the left/right counterpart of each joint, and the index of each joint in
 * {@code ntu25} (or -1). Immutable; arrays are copied in and out. Built only by {@link SkeletonLayouts},
 * which has checked every index.
 */
public final class SkeletonLayout {
    /** Value of {@link #ntu25Index(int)} for a joint with no ntu25 counterpart. */
    public static final int NO_JOINT = -1;

    private final String name;
    private final String description;
    private final List<String> joints;
    private final int[] parents;
    private final int[] centre;
    private final int[] mirror;
    private final int[] ntu25Index;
    private final int root;
    private final Map<String, Integer> indexByName;

    SkeletonLayout(String name, String description, List<String> joints, int[] parents, int[] centre,
                   int[] mirror, int[] ntu25Index) {
        this.name = Objects.requireNonNull(name);
        this.description = description == null ? "" : description;
        this.joints = List.copyOf(joints);
        this.parents = parents.clone();
        this.centre = centre.clone();
        this.mirror = mirror.clone();
        this.ntu25Index = ntu25Index.clone();
        int foundRoot = NO_JOINT;
        for (int j = 0; j < parents.length; j++) {
            if (parents[j] < 0) {
                foundRoot = j;
            }
        }
        this.root = foundRoot;
        Map<String, Integer> byName = new HashMap<>();
        for (int j = 0; j < this.joints.size(); j++) {
            byName.put(this.joints.get(j), j);
        }
        this.indexByName = Map.copyOf(byName);
    }

    /** Key in layouts.json and value of {@code PoseFrame.layout}, e.g. {@code ntu25}. */
    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    /** V, the number of joints. */
    public int jointCount() {
        return joints.size();
    }

    /** Joint names in order. */
    public List<String> jointNames() {
        return joints;
    }

    public String jointName(int joint) {
        return joints.get(joint);
    }

    /** Index of the named joint, or -1. */
    public int indexOf(String jointName) {
        return indexByName.getOrDefault(jointName, NO_JOINT);
    }

    /** Parent of the joint in the bone tree; -1 for the root. */
    public int parent(int joint) {
        return parents[joint];
    }

    /** Parent per joint (a copy). */
    public int[] parents() {
        return parents.clone();
    }

    /** The one joint without a parent. */
    public int root() {
        return root;
    }

    /** Joints whose mean is the body centre (a copy). */
    public int[] centre() {
        return centre.clone();
    }

    /** Left/right counterpart of the joint; the joint itself on the midline. */
    public int mirror(int joint) {
        return mirror[joint];
    }

    /** Mirror per joint (a copy). */
    public int[] mirror() {
        return mirror.clone();
    }

    /** Index of the same joint in ntu25, or {@link #NO_JOINT}. */
    public int ntu25Index(int joint) {
        return ntu25Index[joint];
    }

    /** ntu25 index per joint, -1 where none (a copy). */
    public int[] ntu25Indices() {
        return ntu25Index.clone();
    }

    /** Bytes of one body's {@code joints} field: V * 3 float32. */
    public int jointBytes() {
        return joints.size() * 3 * Float.BYTES;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SkeletonLayout)) {
            return false;
        }
        SkeletonLayout other = (SkeletonLayout) o;
        return name.equals(other.name) && joints.equals(other.joints) && Arrays.equals(parents, other.parents)
                && Arrays.equals(centre, other.centre) && Arrays.equals(mirror, other.mirror)
                && Arrays.equals(ntu25Index, other.ntu25Index);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, joints);
    }

    @Override
    public String toString() {
        return name + " (" + joints.size() + " joints)";
    }
}
