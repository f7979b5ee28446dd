package io.skelstream.encoder;

/**
 * Any failure of the encoder: a model that cannot be read, an execution provider that cannot be used, a failed run.
 *
 * <p>Unchecked so that a stream thread can let it reach its own error handling, but every method that throws it
 * declares it.
 */
public class EncoderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EncoderException(String message) {
        super(message);
    }

    public EncoderException(String message, Throwable cause) {
        super(message, cause);
    }
}
