package io.skelstream.streams.http;

/** The operations HTTP port could not be opened. */
public final class HttpPortException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public HttpPortException(String message, Throwable cause) {
        super(message, cause);
    }
}
