package io.skelstream.streams.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.skelstream.streams.config.SkelStreamConfig;
import picocli.CommandLine.Option;

/**
 * Options every command shares: where the configuration comes from. Precedence, later wins: the properties file,
 * {@code SKELSTREAM_*} environment variables, {@code -D key=value}, then the dedicated flags ({@code --bootstrap}, ...).
 */
public final class ConfigOptions {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Properties file (see streams/README.md for the keys; kafka.* and streams.* pass through).")
    Path configFile;

    @Option(names = {"-b", "--bootstrap"}, paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers (sets kafka.bootstrap.servers).")
    String bootstrap;

    @Option(names = {"-D", "--set"}, paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "Any setting, e.g. -D kafka.security.protocol=SASL_SSL -D window.hop.frames=4. Repeatable.")
    Map<String, String> settings = new LinkedHashMap<>();

    /** Environment variables read; tests replace it. */
    Map<String, String> environment = System.getenv();

    /**
     * The configuration these options describe.
     *
     * @param commandSettings settings from the command's own flags; they win over everything else
     */
    public SkelStreamConfig load(Map<String, String> commandSettings) {
        Map<String, String> overrides = new LinkedHashMap<>(settings);
        if (bootstrap != null) {
            overrides.put(SkelStreamConfig.KAFKA_PREFIX + "bootstrap.servers", bootstrap);
        }
        overrides.putAll(commandSettings);
        return SkelStreamConfig.load(Optional.ofNullable(configFile), environment, overrides);
    }
}
