package io.skelstream.streams.config;

import java.util.Locale;

/** When a track's smoothed prediction becomes an {@code ActionEvent}. */
public enum EmitMode {
    /** One event per hop while the track is above the confidence threshold. */
    EVERY_HOP,
    /** One event when the confident label changes (including from "no action" to a label). */
    ON_CHANGE;

    /** Parses {@code every-hop} / {@code on-change} (case and {@code _}/{@code -} insensitive). */
    public static EmitMode parse(String text) {
        String normalised = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (EmitMode mode : values()) {
            if (mode.name().equals(normalised)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("expected every-hop or on-change, got '" + text + "'");
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
