package io.skelstream.it.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A Grafana dashboard JSON file: its panels (rows' nested panels included) and the PromQL each one runs. */
public final class GrafanaDashboard {

    /** One query of one panel. */
    public record Query(String panelTitle, String refId, String expr, JsonNode datasource) {
    }

    /** Grafana's query-variable function {@code label_values(selector, label)}: not PromQL, the selector is. */
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*\\)\\s*$",
            Pattern.DOTALL);

    private final JsonNode root;

    private GrafanaDashboard(JsonNode root) {
        this.root = root;
    }

    /** Reads the file with a strict parser (no comments, no trailing commas, no duplicate keys). */
    public static GrafanaDashboard read(Path file) {
        ObjectMapper strict = new ObjectMapper()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        try {
            return new GrafanaDashboard(strict.readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    public JsonNode root() {
        return root;
    }

    /** Every panel, the panels inside rows included, rows themselves too. */
    public List<JsonNode> panels() {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode panel : root.path("panels")) {
            all.add(panel);
            for (JsonNode nested : panel.path("panels")) {
                all.add(nested);
            }
        }
        return all;
    }

    /** Every panel query. */
    public List<Query> queries() {
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : panels()) {
            for (JsonNode target : panel.path("targets")) {
                JsonNode datasource = target.has("datasource") ? target.get("datasource") : panel.path("datasource");
                queries.add(new Query(panel.path("title").asText(), target.path("refId").asText(),
                        target.path("expr").asText(""), datasource));
            }
        }
        return queries;
    }

    /** The PromQL selectors of the query variables ({@code label_values(up{job="x"}, instance)} gives {@code up{job="x"}}). */
    public List<String> variableSelectors() {
        List<String> selectors = new ArrayList<>();
        for (JsonNode variable : root.path("templating").path("list")) {
            if (!variable.path("type").asText().equals("query")) {
                continue;
            }
            JsonNode query = variable.path("query");
            String text = query.isObject() ? query.path("query").asText() : query.asText();
            Matcher matcher = LABEL_VALUES.matcher(text);
            selectors.add(matcher.matches() ? matcher.group(1) : text);
        }
        return selectors;
    }

    /** Every PromQL expression of the dashboard: panel queries and variable selectors. */
    public List<String> expressions() {
        List<String> expressions = new ArrayList<>();
        queries().forEach(q -> expressions.add(q.expr()));
        expressions.addAll(variableSelectors());
        return expressions;
    }
}
