package io.skelstream.streams.alerts;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skelstream.schemas.avro.AlertSeverity;
import io.skelstream.streams.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The alert rules of one deployment, read from a JSON file ({@code alerts.rules.file}):
 * <pre>
 * {"rules": [
 *   {"id": "reaching-behind", "labels": ["reach behind"], "severity": "WARNING",
 *    "min_confidence": 0.6, "min_duration_ms": 3000,
 *    "cooldown_ms": 30000, "clear_confidence": 0.4, "clear_after_ms": 1000},
 *   {"id": "phone-use", "labels": ["phone call", "texting"], "severity": "CRITICAL",
 *    "min_confidence": 0.5, "cumulative": {"min_ms": 10000, "period_ms": 30000}}
 * ]}
 * </pre>
 * Fields: {@code id} and {@code labels} required; {@code severity} INFO | WARNING (default) | CRITICAL;
 * {@code min_confidence} (default 0.5); {@code min_duration_ms} (continuous condition) and/or {@code cumulative}
 * {@code {min_ms, period_ms}} (cumulative condition), a rule with neither raises on the first active hop;
 * {@code cooldown_ms} (default 0); {@code clear_confidence} (default = min_confidence) and {@code clear_after_ms}
 * (default 0); {@code max_evidence} (default 20). Comments ({@code //}) are allowed. Unknown fields, duplicate ids and
 * bad values fail with the file, the rule and the field named.
 */
public final class AlertRules {

    public static final int DEFAULT_MAX_EVIDENCE = 20;
    public static final double DEFAULT_MIN_CONFIDENCE = 0.5;

    private static final Set<String> FIELDS = Set.of("id", "labels", "severity", "min_confidence", "min_duration_ms",
            "cumulative", "cooldown_ms", "clear_confidence", "clear_after_ms", "max_evidence", "description");
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.ALLOW_COMMENTS);

    private final List<AlertRule> rules;

    public AlertRules(List<AlertRule> rules) {
        this.rules = List.copyOf(rules);
        Set<String> ids = new HashSet<>();
        for (AlertRule rule : this.rules) {
            if (!ids.add(rule.id())) {
                throw new ConfigException("alert rule id '" + rule.id() + "' is used twice");
            }
        }
    }

    public static AlertRules none() {
        return new AlertRules(List.of());
    }

    public List<AlertRule> rules() {
        return rules;
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** Reads a rules file; every problem names the file, the rule and the field. */
    public static AlertRules read(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new ConfigException("cannot read alert rules file " + file + ": " + e.getMessage(), e);
        }
    }

    public static AlertRules parse(String json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigException("alert rules " + source + " is not valid JSON: " + e.getOriginalMessage()
                    + " (line " + lineOf(e) + ")", e);
        }
        if (root == null || !root.isObject() || !root.path("rules").isArray()) {
            throw new ConfigException("alert rules " + source + ": expected an object with a \"rules\" array");
        }
        List<AlertRule> rules = new ArrayList<>();
        int index = 0;
        for (JsonNode node : root.get("rules")) {
            String where = "alert rules " + source + ", rules[" + index + "]"
                    + (node.hasNonNull("id") ? " (" + node.get("id").asText() + ")" : "");
            rules.add(rule(node, where));
            index++;
        }
        try {
            return new AlertRules(rules);
        } catch (ConfigException e) {
            throw new ConfigException("alert rules " + source + ": " + e.getMessage(), e);
        }
    }

    /** Fails when a rule names a label the model does not have (it could never fire). */
    public void checkLabels(List<String> modelLabels) {
        for (AlertRule rule : rules) {
            List<String> unknown = rule.unknownLabels(new HashSet<>(modelLabels));
            if (!unknown.isEmpty()) {
                throw new ConfigException("alert rule '" + rule.id() + "' names labels the model does not have: "
                        + unknown + " (model labels: " + modelLabels + ")");
            }
        }
    }

    private static AlertRule rule(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new ConfigException(where + ": expected an object");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new ConfigException(where + ": unknown field '" + name + "' (known: " + FIELDS + ")");
            }
        }
        String id = text(node, "id", where);
        JsonNode labelsNode = node.get("labels");
        if (labelsNode == null || !labelsNode.isArray() || labelsNode.isEmpty()) {
            throw new ConfigException(where + ": labels must be a non-empty array of model labels");
        }
        List<String> labels = new ArrayList<>();
        for (JsonNode label : labelsNode) {
            if (!label.isTextual()) {
                throw new ConfigException(where + ": labels must be strings, got " + label);
            }
            labels.add(label.asText());
        }
        AlertSeverity severity = AlertSeverity.WARNING;
        if (node.hasNonNull("severity")) {
            String text = node.get("severity").asText().toUpperCase(Locale.ROOT);
            try {
                severity = AlertSeverity.valueOf(text);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(where + ": severity '" + node.get("severity").asText()
                        + "' is not INFO, WARNING or CRITICAL");
            }
        }
        double minConfidence = number(node, "min_confidence", DEFAULT_MIN_CONFIDENCE, where);
        long minDuration = millis(node, "min_duration_ms", 0, where);
        long cumulative = 0;
        long period = 0;
        if (node.hasNonNull("cumulative")) {
            JsonNode c = node.get("cumulative");
            if (!c.isObject() || !c.has("min_ms") || !c.has("period_ms")) {
                throw new ConfigException(where + ": cumulative must be {\"min_ms\": ..., \"period_ms\": ...}");
            }
            cumulative = millis(c, "min_ms", 0, where + " cumulative");
            period = millis(c, "period_ms", 0, where + " cumulative");
            if (cumulative <= 0) {
                throw new ConfigException(where + ": cumulative.min_ms must be > 0");
            }
        }
        try {
            return new AlertRule(id, labels, severity, minConfidence, minDuration, cumulative, period,
                    millis(node, "cooldown_ms", 0, where), number(node, "clear_confidence", minConfidence, where),
                    millis(node, "clear_after_ms", 0, where),
                    (int) millis(node, "max_evidence", DEFAULT_MAX_EVIDENCE, where));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new ConfigException(where + ": " + field + " must be a non-empty string");
        }
        return value.asText();
    }

    private static double number(JsonNode node, String field, double defaultValue, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return defaultValue;
        }
        if (!value.isNumber()) {
            throw new ConfigException(where + ": " + field + " must be a number, got " + value);
        }
        return value.asDouble();
    }

    private static long millis(JsonNode node, String field, long defaultValue, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return defaultValue;
        }
        if (!value.isIntegralNumber() || value.asLong() < 0) {
            throw new ConfigException(where + ": " + field + " must be a whole number >= 0, got " + value);
        }
        return value.asLong();
    }

    private static String lineOf(com.fasterxml.jackson.core.JsonProcessingException e) {
        return e.getLocation() == null ? "?" : String.valueOf(e.getLocation().getLineNr());
    }
}
