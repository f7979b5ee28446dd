package io.skelstream.schemas;

import io.skelstream.schemas.avro.PoseFrame;

import java.util.List;

/**
 * A pose frame that passed {@link PoseFrameValidator}, with its layout resolved and its joints unpacked.
 *
 * @param frame  the decoded record
 * @param layout its layout
 * @param bodies one entry per {@code frame.bodies}, same order
 */
public record ValidPoseFrame(PoseFrame frame, SkeletonLayout layout, List<Body> bodies) {

    public ValidPoseFrame {
        bodies = List.copyOf(bodies);
    }

    /**
     * One body's checked values. Arrays are handed over, not copied.
     *
     * @param trackId    {@code Body.track_id}
     * @param joints     V*3 floats, metres, joint-major (x0 y0 z0 x1 ...); absent joints are 0 0 0
     * @param confidence V floats in [0, 1], or null when the device sent none
     */
    public record Body(long trackId, float[] joints, float[] confidence) {
    }
}
