package io.skelstream.it.docker;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One scrape of a {@code /metrics} page in the Prometheus text format (version 0.0.4): which series names carry
 * samples, which family and type each belongs to, and the value of each sample.
 *
 * <p>Series names are what Prometheus stores and PromQL selects: a counter family {@code x} is sampled as
 * {@code x_total}, a histogram family {@code h} as {@code h_bucket}, {@code h_count} and {@code h_sum}.
 */
public final class MetricsExposition {

    /** Metric type of a family, from its {@code # TYPE} line. */
    public enum Type { COUNTER, GAUGE, HISTOGRAM, SUMMARY, UNTYPED }

    private static final List<String> HISTOGRAM_SUFFIXES = List.of("_bucket", "_count", "_sum");
    private static final List<String> SUMMARY_SUFFIXES = List.of("_count", "_sum");

    private final Map<String, Type> familyTypes;
    /** sample name -> (label text, value) */
    private final Map<String, Map<String, Double>> samples;

    private MetricsExposition(Map<String, Type> familyTypes, Map<String, Map<String, Double>> samples) {
        this.familyTypes = familyTypes;
        this.samples = samples;
    }

    /**
     * Parses a page.
     *
     * @throws IllegalArgumentException naming the line that is not in the text format
     */
    public static MetricsExposition parse(String page) {
        Map<String, Type> types = new HashMap<>();
        Map<String, Map<String, Double>> samples = new LinkedHashMap<>();
        String[] lines = page.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] parts = line.split("\\s+");
                if (parts.length >= 4 && parts[1].equals("TYPE")) {
                    types.put(parts[2], Type.valueOf(parts[3].toUpperCase(java.util.Locale.ROOT)));
                }
                continue;
            }
            int nameEnd = 0;
            while (nameEnd < line.length() && line.charAt(nameEnd) != '{' && !Character.isWhitespace(line.charAt(nameEnd))) {
                nameEnd++;
            }
            String name = line.substring(0, nameEnd);
            String labels = "";
            int valueStart = nameEnd;
            if (nameEnd < line.length() && line.charAt(nameEnd) == '{') {
                int close = closingBrace(line, nameEnd);
                if (close < 0) {
                    throw new IllegalArgumentException("line " + (i + 1) + ": unterminated labels: " + line);
                }
                labels = line.substring(nameEnd + 1, close);
                valueStart = close + 1;
            }
            String[] rest = line.substring(valueStart).strip().split("\\s+");
            if (name.isEmpty() || rest.length == 0 || rest[0].isEmpty()) {
                throw new IllegalArgumentException("line " + (i + 1) + ": not a sample: " + line);
            }
            double value;
            try {
                value = Double.parseDouble(rest[0].replace("+Inf", "Infinity").replace("-Inf", "-Infinity"));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": bad value '" + rest[0] + "': " + line, e);
            }
            samples.computeIfAbsent(name, n -> new LinkedHashMap<>()).put(labels, value);
        }
        return new MetricsExposition(types, samples);
    }

    /** Index of the '}' closing the label set opened at {@code open}, honouring quoted values. */
    private static int closingBrace(String line, int open) {
        boolean quoted = false;
        for (int i = open + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '}' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    /** Every series name with at least one sample. */
    public Set<String> seriesNames() {
        return Collections.unmodifiableSet(new TreeSet<>(samples.keySet()));
    }

    public boolean hasSeries(String name) {
        return samples.containsKey(name);
    }

    /**
     * The type of the family a series name belongs to: {@code x_total} of counter {@code x}, {@code h_bucket} of
     * histogram {@code h}, or the family of that very name.
     */
    public Optional<Type> typeOfSeries(String name) {
        if (familyTypes.containsKey(name)) {
            return Optional.of(familyTypes.get(name));
        }
        if (name.endsWith("_total") && familyTypes.get(strip(name, "_total")) == Type.COUNTER) {
            return Optional.of(Type.COUNTER);
        }
        for (String suffix : HISTOGRAM_SUFFIXES) {
            if (name.endsWith(suffix) && familyTypes.get(strip(name, suffix)) == Type.HISTOGRAM) {
                return Optional.of(Type.HISTOGRAM);
            }
        }
        for (String suffix : SUMMARY_SUFFIXES) {
            if (name.endsWith(suffix) && familyTypes.get(strip(name, suffix)) == Type.SUMMARY) {
                return Optional.of(Type.SUMMARY);
            }
        }
        return Optional.empty();
    }

    /**
     * True when {@code rate()}/{@code increase()} over this series is meaningful: a counter's {@code _total}, or a
     * histogram's or summary's {@code _bucket}, {@code _count}, {@code _sum}.
     */
    public boolean isCumulative(String name) {
        Optional<Type> type = typeOfSeries(name);
        if (type.isEmpty()) {
            return false;
        }
        return switch (type.get()) {
            case COUNTER -> name.endsWith("_total") || familyTypes.get(name) == Type.COUNTER;
            case HISTOGRAM -> HISTOGRAM_SUFFIXES.stream().anyMatch(name::endsWith);
            case SUMMARY -> SUMMARY_SUFFIXES.stream().anyMatch(name::endsWith);
            default -> false;
        };
    }

    /** Sum over every sample of one series name (e.g. all label sets of a counter). */
    public double sum(String name) {
        Map<String, Double> points = samples.get(name);
        if (points == null) {
            throw new IllegalArgumentException("no series " + name + " in the scrape");
        }
        return points.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** The samples of one series name, by label text ({@code kind="UNDECODABLE"}; empty string without labels). */
    public Map<String, Double> samples(String name) {
        return Collections.unmodifiableMap(samples.getOrDefault(name, Map.of()));
    }

    private static String strip(String name, String suffix) {
        return name.substring(0, name.length() - suffix.length());
    }
}
