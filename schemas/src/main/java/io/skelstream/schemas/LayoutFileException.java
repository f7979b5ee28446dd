package io.skelstream.schemas;

/** {@code layouts.json} (or another layouts file) is unreadable or breaks a rule; the message names the file, layout and field. */
public final class LayoutFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LayoutFileException(String message) {
        super(message);
    }

    public LayoutFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
