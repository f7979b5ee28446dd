package io.skelstream.streams.replay;

import java.util.Objects;
import java.util.Optional;

/**
 * One recorded sequence of a dataset (DESIGN contract 4): T frames of M persons of V joints, x/y/z in metres.
 *
 * @param id the sequence's id in its file
 * @param label the action performed, or null for unlabelled data
 * @param layout skeleton layout name (a key of layouts.json)
 * @param fps frames per second of the recording
 * @param frames T
 * @param persons M (the largest person count of any frame; missing persons are zeros)
 * @param joints V
 * @param coordinates T*M*V*3 floats, row-major [T][M][V][3]; an absent person or joint is (0,0,0)
 */
public record PoseSequence(String id, String label, String layout, double fps, int frames, int persons, int joints,
                           float[] coordinates) {

    public PoseSequence {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(layout, "layout");
        if (!(fps > 0) || frames < 1 || persons < 1 || joints < 1) {
            throw new IllegalArgumentException("sequence " + id + ": need fps > 0 and T, M, V >= 1, got fps=" + fps
                    + " T=" + frames + " M=" + persons + " V=" + joints);
        }
        if (coordinates.length != frames * persons * joints * 3) {
            throw new IllegalArgumentException("sequence " + id + ": " + coordinates.length + " floats for T=" + frames
                    + " M=" + persons + " V=" + joints);
        }
    }

    public Optional<String> labelIfAny() {
        return Optional.ofNullable(label);
    }

    /** Seconds from the first to the last frame plus one frame period: how long the recording plays. */
    public double durationSeconds() {
        return frames / fps;
    }

    /** Offset of joint (t, m, v, x) in {@link #coordinates()}. */
    public int offset(int frame, int person, int joint) {
        return ((frame * persons + person) * joints + joint) * 3;
    }

    /** True when person m has any non-zero joint in frame t. */
    public boolean personPresent(int frame, int person) {
        int start = offset(frame, person, 0);
        for (int i = start; i < start + joints * 3; i++) {
            if (coordinates[i] != 0f) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return "PoseSequence[" + id + ", label=" + label + ", layout=" + layout + ", fps=" + fps + ", T=" + frames
                + ", M=" + persons + ", V=" + joints + "]";
    }
}
