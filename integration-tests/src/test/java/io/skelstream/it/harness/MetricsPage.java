package io.skelstream.it.harness;

import java.util.OptionalDouble;

/** Reads one sample from a Prometheus text page, e.g. {@code skelstream_dead_letters_total{kind="NON_FINITE"}}. */
public final class MetricsPage {

    private MetricsPage() {
    }

    /**
     * The value of the sample whose name and labels start with {@code series} exactly as written on the page (names
     * and label values as the app prints them), or empty when the page has no such line.
     */
    public static OptionalDouble value(String page, String series) {
        if (page == null) {
            return OptionalDouble.empty();
        }
        for (String line : page.split("\n")) {
            if (line.startsWith(series + " ")) {
                return OptionalDouble.of(Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]));
            }
        }
        return OptionalDouble.empty();
    }
}
