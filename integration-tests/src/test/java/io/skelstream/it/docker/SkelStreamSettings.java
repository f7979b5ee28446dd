package io.skelstream.it.docker;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.skelstream.streams.app.SkelStreamApplication;
import io.skelstream.streams.app.StartupChecks;
import io.skelstream.streams.config.SkelStreamConfig;

/**
 * The settings SkelStream knows, read from the streams module's own constants, so a {@code SKELSTREAM_*} variable
 * in a Dockerfile or the compose file that names no setting (a typo) is caught without running a container.
 */
public final class SkelStreamSettings {

    private SkelStreamSettings() {
    }

    /** Every key the processor reads: SkelStreamConfig's keys and those the operations layer reads raw. */
    public static Set<String> knownKeys() {
        Set<String> keys = new TreeSet<>();
        for (Class<?> owner : new Class<?>[] {SkelStreamConfig.class, SkelStreamApplication.class, StartupChecks.class}) {
            for (Field field : owner.getFields()) {
                int modifiers = field.getModifiers();
                if (field.getType() != String.class || !Modifier.isStatic(modifiers) || !Modifier.isFinal(modifiers)
                        || field.getName().startsWith("DEFAULT_") || field.getName().endsWith("_PREFIX")) {
                    continue;
                }
                try {
                    String value = (String) field.get(null);
                    if (value.matches("[a-z]+(\\.[a-z_]+)+")) {
                        keys.add(value);
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot read " + owner.getSimpleName() + "." + field.getName(), e);
                }
            }
        }
        return keys;
    }

    /**
     * Why an environment variable is not a SkelStream setting, or empty when it is one ({@code kafka.*} and
     * {@code streams.*} keys pass through to Kafka and are always accepted).
     */
    public static Optional<String> problemWith(String variable) {
        if (!variable.startsWith(SkelStreamConfig.ENV_PREFIX)) {
            return Optional.of(variable + " does not start with " + SkelStreamConfig.ENV_PREFIX);
        }
        String key = variable.substring(SkelStreamConfig.ENV_PREFIX.length()).toLowerCase(java.util.Locale.ROOT)
                .replace("__", "\u0000").replace('_', '.').replace('\u0000', '_');
        if (key.startsWith(SkelStreamConfig.KAFKA_PREFIX) || key.startsWith(SkelStreamConfig.STREAMS_PREFIX)
                || knownKeys().contains(key)) {
            return Optional.empty();
        }
        return Optional.of(variable + " sets '" + key + "', which is no SkelStream setting (known: " + knownKeys() + ")");
    }

    /** Loads the variables exactly as a container's process would; throws the ConfigException a bad value gives. */
    public static SkelStreamConfig load(Map<String, String> environment) {
        return SkelStreamConfig.load(Optional.empty(), new TreeMap<>(environment), Map.of());
    }
}
