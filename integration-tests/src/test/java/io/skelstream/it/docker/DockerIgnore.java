package io.skelstream.it.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A {@code .dockerignore} file: which paths of the build context the Docker builder sends. Patterns as Docker
 * reads them: paths relative to the context root, {@code *} and {@code ?} within one path segment, {@code **} across
 * segments, {@code !} re-includes, the last matching pattern wins, and a pattern matching a directory matches
 * everything under it.
 */
public final class DockerIgnore {

    private record Rule(Pattern pattern, boolean include) {
    }

    private final List<Rule> rules;

    private DockerIgnore(List<Rule> rules) {
        this.rules = rules;
    }

    public static DockerIgnore read(Path file) {
        List<Rule> rules = new ArrayList<>();
        try {
            for (String raw : Files.readAllLines(file)) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                boolean include = line.startsWith("!");
                String glob = (include ? line.substring(1) : line).strip();
                while (glob.startsWith("/")) {
                    glob = glob.substring(1);
                }
                rules.add(new Rule(Pattern.compile(toRegex(glob)), include));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new DockerIgnore(rules);
    }

    private static String toRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
                if (i + 1 < glob.length() && glob.charAt(i + 1) == '/') {
                    i++; // "**/" also matches no directory at all
                    regex.append("(?:/|)");
                }
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return regex.toString();
    }

    /** True when the context path (relative, '/'-separated) is sent to the builder. */
    public boolean sends(String relativePath) {
        boolean sent = true;
        for (Rule rule : rules) {
            if (matchesItselfOrAParent(rule.pattern(), relativePath)) {
                sent = rule.include();
            }
        }
        return sent;
    }

    private static boolean matchesItselfOrAParent(Pattern pattern, String path) {
        String candidate = path;
        while (true) {
            if (pattern.matcher(candidate).matches()) {
                return true;
            }
            int slash = candidate.lastIndexOf('/');
            if (slash < 0) {
                return false;
            }
            candidate = candidate.substring(0, slash);
        }
    }
}
