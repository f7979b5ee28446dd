package io.skelstream.streams.cli;

import java.util.Locale;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

import io.skelstream.schemas.SkelSerdes;
import io.skelstream.streams.config.SkelStreamConfig;

/** Which output {@code skelstream tail} prints. */
public enum TailTarget {
    /** The input: what devices publish (handy to check a device or a replay). */
    POSES,
    ACTIONS,
    ALERTS,
    DEAD_LETTERS;

    public String topic(SkelStreamConfig config) {
        return switch (this) {
            case POSES -> config.posesTopic();
            case ACTIONS -> config.actionsTopic();
            case ALERTS -> config.alertsTopic();
            case DEAD_LETTERS -> config.deadLetterTopic();
        };
    }

    @SuppressWarnings("unchecked")
    public Deserializer<SpecificRecord> deserializer() {
        Deserializer<?> deserializer = switch (this) {
            case POSES -> SkelSerdes.poseFrame().deserializer();
            case ACTIONS -> SkelSerdes.actionEvent().deserializer();
            case ALERTS -> SkelSerdes.alert().deserializer();
            case DEAD_LETTERS -> SkelSerdes.deadLetter().deserializer();
        };
        return (Deserializer<SpecificRecord>) deserializer;
    }

    /** Accepts {@code actions}, {@code alerts}, {@code dead-letters} / {@code dlq}, {@code poses}. */
    public static TailTarget parse(String text) {
        String normalised = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        return switch (normalised) {
            case "poses", "frames" -> POSES;
            case "actions", "action", "events" -> ACTIONS;
            case "alerts", "alert" -> ALERTS;
            case "dead-letters", "dead-letter", "dlq" -> DEAD_LETTERS;
            default -> throw new IllegalArgumentException("expected actions, alerts, dead-letters or poses, got '" + text + "'");
        };
    }
}
