package io.skelstream.it.docker;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The metric names a PromQL expression selects, e.g. {@code skelstream_inference_latency_seconds_bucket} out of
 * {@code histogram_quantile(0.99, sum by (le) (rate(skelstream_inference_latency_seconds_bucket{job="x"}[5m])))}.
 *
 * <p>A small tokenizer, not a full parser. What is skipped: string literals, label matchers inside {@code {...}}
 * (label names and values), ranges and subqueries inside {@code [...]}, numbers and durations, grouping label lists
 * after {@code by}, {@code without}, {@code on}, {@code ignoring}, {@code group_left} and {@code group_right},
 * keywords and binary operators ({@code and}, {@code or}, {@code unless}, {@code bool}, {@code offset},
 * {@code atan2}, {@code inf}, {@code nan}), aggregation operators ({@code sum}, {@code topk}, ...), function names (an identifier followed by {@code (}),
 * and Grafana variables ({@code $instance}, {@code ${x}}, {@code $__rate_interval}). A selector written as
 * {@code {__name__="x"}} yields {@code x}. Names come back exactly as written, suffixes ({@code _total},
 * {@code _bucket}, ...) included: those are the series names Prometheus stores. {@link #countedBy} tells which of them
 * are read by {@code rate}, {@code irate} or {@code increase}, which only make sense over counters.
 */
public final class PromQlMetricNames {

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "atan2", "inf", "nan",
            // aggregation operators are reserved words: `sum by (le) (...)` puts the grouping before the parenthesis
            "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk",
            "quantile", "limitk", "limit_ratio");
    private static final Set<String> GROUPING = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

    /** Functions whose argument must be a counter (or a histogram's _bucket/_count/_sum). */
    private static final Set<String> COUNTER_FUNCTIONS = Set.of("rate", "irate", "increase", "resets");

    private final String text;
    private int pos;
    /** Function names of the parentheses open at pos ("" for plain grouping parentheses). */
    private final Deque<String> open = new ArrayDeque<>();
    private final Set<String> counted = new LinkedHashSet<>();
    private String pendingFunction = "";

    private PromQlMetricNames(String text) {
        this.text = text;
    }

    /** The metric names selected by {@code expression}, in order of first appearance. */
    public static Set<String> of(String expression) {
        return new PromQlMetricNames(expression).scan();
    }

    /** The metric names of {@code expression} that are the direct argument of rate, irate, increase or resets. */
    public static Set<String> countedBy(String expression) {
        PromQlMetricNames scanner = new PromQlMetricNames(expression);
        scanner.scan();
        return scanner.counted;
    }

    private Set<String> scan() {
        Set<String> names = new LinkedHashSet<>();
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '"' || c == '\'' || c == '`') {
                skipString(c);
            } else if (c == '{') {
                String named = skipMatchers();
                if (named != null) {
                    names.add(named);
                }
            } else if (c == '[') {
                skipPast(']');
            } else if (c == '$') {
                skipVariable();
            } else if (Character.isDigit(c) || (c == '.' && pos + 1 < text.length() && Character.isDigit(text.charAt(pos + 1)))) {
                skipNumber();
            } else if (isIdentifierStart(c)) {
                String word = identifier();
                String lower = word.toLowerCase(Locale.ROOT);
                if (GROUPING.contains(lower)) {
                    skipGroupingLabels();
                } else if (KEYWORDS.contains(lower)) {
                    if (lower.equals("offset")) {
                        skipSpaces();
                        if (pos < text.length() && text.charAt(pos) == '-') {
                            pos++;
                        }
                        skipSpaces();
                        skipNumber();
                    }
                } else if (followedByParenthesis()) {
                    pendingFunction = lower;
                } else {
                    names.add(word);
                    if (COUNTER_FUNCTIONS.contains(open.isEmpty() ? "" : open.peek())) {
                        counted.add(word);
                    }
                }
            } else if (c == '(') {
                open.push(pendingFunction);
                pendingFunction = "";
                pos++;
            } else if (c == ')') {
                if (!open.isEmpty()) {
                    open.pop();
                }
                pos++;
            } else {
                pos++;
            }
        }
        return names;
    }

    private static boolean isIdentifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    }

    private static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || (c >= '0' && c <= '9');
    }

    private String identifier() {
        int start = pos;
        while (pos < text.length() && isIdentifierPart(text.charAt(pos))) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private boolean followedByParenthesis() {
        int look = pos;
        while (look < text.length() && Character.isWhitespace(text.charAt(look))) {
            look++;
        }
        return look < text.length() && text.charAt(look) == '(';
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    /** After {@code by}/{@code on}/...: an optional parenthesised label list (group_left may have none). */
    private void skipGroupingLabels() {
        skipSpaces();
        if (pos < text.length() && text.charAt(pos) == '(') {
            skipPast(')');
        }
    }

    private void skipString(char quote) {
        pos++;
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '\\' && quote != '`') {
                pos++;
            } else if (c == quote) {
                return;
            }
        }
    }

    /** Skips {@code {...}}; returns the value of a {@code __name__="x"} matcher, if any. */
    private String skipMatchers() {
        pos++;
        String named = null;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '}') {
                pos++;
                return named;
            }
            if (c == '"' || c == '\'' || c == '`') {
                skipString(c);
            } else if (isIdentifierStart(c)) {
                String label = identifier();
                skipSpaces();
                if (label.equals("__name__") && pos + 1 < text.length() && text.charAt(pos) == '='
                        && (text.charAt(pos + 1) == '"' || text.charAt(pos + 1) == '\'')) {
                    pos++;
                    int start = pos + 1;
                    skipString(text.charAt(pos));
                    named = text.substring(start, pos - 1);
                }
            } else {
                pos++;
            }
        }
        return named;
    }

    private void skipPast(char close) {
        while (pos < text.length() && text.charAt(pos) != close) {
            pos++;
        }
        pos++;
    }

    private void skipVariable() {
        pos++;
        if (pos < text.length() && text.charAt(pos) == '{') {
            skipPast('}');
            return;
        }
        while (pos < text.length() && isIdentifierPart(text.charAt(pos))) {
            pos++;
        }
    }

    /** Numbers, hex, exponents and durations ({@code 0.99}, {@code 1e-3}, {@code 0x1f}, {@code 5m}, {@code 1h30m}). */
    private void skipNumber() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.isLetterOrDigit(c) || c == '.' || c == '_') {
                pos++;
            } else if ((c == '+' || c == '-') && (text.charAt(pos - 1) == 'e' || text.charAt(pos - 1) == 'E')
                    && isDecimalMantissa()) {
                pos++;
            } else {
                return;
            }
        }
    }

    /** True when the e/E just read is an exponent (the token so far is a decimal number, not e.g. {@code 5m}). */
    private boolean isDecimalMantissa() {
        int start = pos - 2;
        while (start >= 0 && (Character.isDigit(text.charAt(start)) || text.charAt(start) == '.')) {
            start--;
        }
        return start < pos - 2 && (start < 0 || !Character.isLetter(text.charAt(start)));
    }
}
