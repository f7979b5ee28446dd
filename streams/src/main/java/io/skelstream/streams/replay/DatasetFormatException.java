package io.skelstream.streams.replay;

/** A dataset file is unreadable or malformed; the message names the file, the line and what is wrong. */
public final class DatasetFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DatasetFormatException(String source, long line, String problem) {
        super(source + (line > 0 ? ":" + line : "") + ": " + problem);
    }

    public DatasetFormatException(String source, long line, String problem, Throwable cause) {
        super(source + (line > 0 ? ":" + line : "") + ": " + problem, cause);
    }
}
