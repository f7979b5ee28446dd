package io.skelstream.it.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A YAML document (compose file, Prometheus config and rules, Grafana provisioning) as a Jackson tree. Parsed by
 * PyYAML through Debian's {@code /usr/bin/python3} (python3-yaml, which docker-compose itself depends on), so the
 * tests read YAML the way docker-compose does, without a YAML library on the test classpath.
 */
public final class YamlDocument {

    private static final ExternalTool PYTHON = new ExternalTool("/usr/bin/python3", "python3-yaml");
    private static final String TO_JSON = "import json, sys, yaml\n"
            + "json.dump(yaml.safe_load(open(sys.argv[1], encoding='utf-8')), sys.stdout)\n";
    private static final ObjectMapper JSON = new ObjectMapper();

    private YamlDocument() {
    }

    /** Reads a YAML file; fails naming the file when it is not YAML. */
    public static JsonNode read(Path file) {
        ExternalTool.Result result = PYTHON.run(file.toAbsolutePath().getParent(), Duration.ofSeconds(30),
                "-c", TO_JSON, file.toAbsolutePath().toString());
        if (result.exitCode() != 0) {
            throw new IllegalArgumentException(file + " is not valid YAML: " + result.output());
        }
        try {
            return JSON.readTree(result.output());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the JSON form of " + file, e);
        }
    }

    /** Parses YAML text (e.g. a tool's output). */
    public static JsonNode parse(String yaml) {
        try {
            Path file = Files.createTempFile("skelstream-", ".yaml");
            try {
                Files.writeString(file, yaml, StandardCharsets.UTF_8);
                return read(file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
