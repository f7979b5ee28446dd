package io.skelstream.encoder;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a loaded model is, read from its {@code skelstream.*} metadata and its input/output shapes (contract 1 of
 * DESIGN.md). Immutable.
 *
 * @param name           {@code skelstream.name} if the model has one, else the file name without {@code .onnx}
 * @param contract       contract version ({@code skelstream.contract}); always 1 for a model this encoder loaded
 * @param layout         skeleton layout name, e.g. {@code ntu25} ({@code skelstream.layout})
 * @param frames         T, frames per window ({@code skelstream.frames})
 * @param persons        M, persons per window ({@code skelstream.persons})
 * @param joints         V, joints per person (dimension 3 of the input)
 * @param fps            frames per second the window is resampled to ({@code skelstream.fps})
 * @param labels         the K class names, in logit order ({@code skelstream.labels})
 * @param embeddingDim   D, length of the embedding output
 * @param objective      pre-training objective ({@code skelstream.objective})
 * @param dataset        training data set ({@code skelstream.dataset})
 * @param metricsJson    evaluation metrics as a JSON object ({@code skelstream.metrics})
 * @param created        when the model was exported ({@code skelstream.created}, as written by the trainer)
 * @param trainerVersion trainer version that exported it ({@code skelstream.trainer_version})
 * @param sha256         SHA-256 of the model file's bytes, lower-case hex
 * @param metadata       every custom metadata entry of the model, {@code skelstream.*} and others
 */
public record ModelDescription(
        String name,
        int contract,
        String layout,
        int frames,
        int persons,
        int joints,
        double fps,
        List<String> labels,
        int embeddingDim,
        String objective,
        String dataset,
        String metricsJson,
        String created,
        String trainerVersion,
        String sha256,
        Map<String, String> metadata) {

    /** Coordinates per joint: x, y, z in metres. */
    public static final int COORDINATES = 3;

    public ModelDescription {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(objective, "objective");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(metricsJson, "metricsJson");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(trainerVersion, "trainerVersion");
        Objects.requireNonNull(sha256, "sha256");
        labels = List.copyOf(labels);
        metadata = Map.copyOf(metadata);
        if (frames < 1 || persons < 1 || joints < 1 || embeddingDim < 1 || labels.isEmpty()) {
            throw new IllegalArgumentException("frames, persons, joints, embeddingDim and labels must be positive");
        }
    }

    /** K, the number of classes. */
    public int labelCount() {
        return labels.size();
    }

    /** Floats in one window: T * M * V * 3. */
    public int windowFloats() {
        return frames * persons * joints * COORDINATES;
    }

    /** Window length in seconds covered by T frames at {@link #fps()}: (T - 1) / fps. */
    public double windowSeconds() {
        return (frames - 1) / fps;
    }
}
