package io.skelstream.streams.config;

/** A setting is missing, malformed or out of range; the message names the key, the value and where it came from. */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
