package io.skelstream.encoder;

/**
 * The requested execution provider cannot be used, e.g. {@link ExecutionProvider#CUDA} on a machine without a GPU or
 * with the CPU-only ONNX Runtime jar. The message names the provider, the device and ONNX Runtime's own reason.
 */
public class ExecutionProviderException extends EncoderException {
    private static final long serialVersionUID = 1L;

    public ExecutionProviderException(String message, Throwable cause) {
        super(message, cause);
    }
}
