package io.skelstream.encoder;

import java.util.Objects;

/**
 * One class of the model with its softmax probability (0..1). The encoder's own small record, not the Avro
 * {@code io.skelstream.schemas.avro.LabelScore}.
 */
public record LabelScore(String label, float score) {
    public LabelScore {
        Objects.requireNonNull(label, "label");
    }
}
