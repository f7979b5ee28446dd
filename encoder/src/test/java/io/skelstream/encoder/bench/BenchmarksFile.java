package io.skelstream.encoder.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * BENCHMARKS.md at the repository root, shared by several benchmark scripts: each owns the text between its own
 * {@code <!-- name:begin -->} and {@code <!-- name:end -->} markers and leaves the rest as it is.
 */
final class BenchmarksFile {

    private BenchmarksFile() {
    }

    /** Replaces (or appends) the section {@code name} of {@code file} with {@code body}. */
    static void writeSection(Path file, String name, String body) throws IOException {
        String begin = "<!-- " + name + ":begin -->";
        String end = "<!-- " + name + ":end -->";
        String section = begin + "\n" + body.strip() + "\n" + end;
        String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "# Benchmarks\n";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        String updated;
        if (from >= 0 && to > from) {
            updated = text.substring(0, from) + section + text.substring(to + end.length());
        } else {
            updated = text.stripTrailing() + "\n\n" + section + "\n";
        }
        Files.writeString(file, updated, StandardCharsets.UTF_8);
    }
}
