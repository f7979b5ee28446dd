package io.skelstream.streams.broker;

/** Topics could not be created or described; the message names the topic and the broker's reason. */
public final class TopicProvisioningException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TopicProvisioningException(String message, Throwable cause) {
        super(message, cause);
    }
}
