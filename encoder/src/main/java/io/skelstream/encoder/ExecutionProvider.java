package io.skelstream.encoder;

import java.util.Locale;

/**
 * Where ONNX Runtime runs the model.
 *
 * <p>{@link #AUTO} is a request only: {@link ActionEncoder#provider()} always reports the provider actually in use,
 * {@link #CUDA} or {@link #CPU}.
 */
public enum ExecutionProvider {
    /** Try CUDA on the configured device; if the session cannot be created there, log why and use the CPU. */
    AUTO,
    /** NVIDIA GPU through ONNX Runtime's CUDA provider (needs the {@code -Pgpu} build, CUDA 12 and cuDNN 9). */
    CUDA,
    /** ONNX Runtime's CPU provider. */
    CPU;

    /**
     * Parses a provider name as written in configuration or on a command line ({@code auto}, {@code cuda}, {@code cpu};
     * any case).
     *
     * @throws IllegalArgumentException naming the accepted values when {@code name} is none of them
     */
    public static ExecutionProvider parse(String name) {
        if (name != null) {
            for (ExecutionProvider provider : values()) {
                if (provider.name().equalsIgnoreCase(name.trim())) {
                    return provider;
                }
            }
        }
        throw new IllegalArgumentException(
                "unknown execution provider '" + name + "': expected one of auto, cuda, cpu");
    }

    /** The lower-case name used in configuration and logs. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
