package io.skelstream.streams.replay;

/** Frames could not be published to Kafka. */
public final class ReplayPublishException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ReplayPublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
