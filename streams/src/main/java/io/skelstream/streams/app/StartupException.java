package io.skelstream.streams.app;

/**
 * The processor cannot start; the message says what is wrong and what to do about it, for a person reading a
 * terminal or a pod log. The command line prints it without a stack trace.
 */
public final class StartupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
