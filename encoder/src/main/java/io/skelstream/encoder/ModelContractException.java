package io.skelstream.encoder;

/**
 * The model file breaks contract 1 of DESIGN.md (the exported model). The message says exactly what is wrong and in
 * which model, e.g. {@code model 'tiny' (file /m/tiny.onnx): input 'joints' has T = 32 but skelstream.frames = 64}.
 */
public class ModelContractException extends EncoderException {
    private static final long serialVersionUID = 1L;

    public ModelContractException(String message) {
        super(message);
    }

    public ModelContractException(String message, Throwable cause) {
        super(message, cause);
    }
}
