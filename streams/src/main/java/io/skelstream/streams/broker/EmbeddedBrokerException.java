package io.skelstream.streams.broker;

/** The in-JVM demo broker could not be started or stopped. */
public final class EmbeddedBrokerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EmbeddedBrokerException(String message, Throwable cause) {
        super(message, cause);
    }
}
