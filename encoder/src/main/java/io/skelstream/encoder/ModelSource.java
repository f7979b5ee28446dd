package io.skelstream.encoder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a model file comes from: a path on disk or a resource on the classpath. The whole file is read once, so the
 * SHA-256 in {@link ModelDescription#sha256()} is of exactly the bytes ONNX Runtime loads.
 */
public final class ModelSource {
    private final Path path;
    private final String resource;

    private ModelSource(Path path, String resource) {
        this.path = path;
        this.resource = resource;
    }

    /** A model file on disk. */
    public static ModelSource ofPath(Path path) {
        return new ModelSource(Objects.requireNonNull(path, "path"), null);
    }

    /**
     * A model on the classpath, e.g. {@code "models/skelstream-tiny.onnx"} (a leading '/' is allowed and ignored).
     */
    public static ModelSource ofClasspath(String resource) {
        Objects.requireNonNull(resource, "resource");
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        if (name.isEmpty()) {
            throw new IllegalArgumentException("classpath resource name is empty");
        }
        return new ModelSource(null, name);
    }

    /** The file name without directories and without a trailing {@code .onnx}, e.g. {@code skelstream-tiny}. */
    public String fileStem() {
        String full = path != null ? String.valueOf(path.getFileName()) : resource;
        String name = full.substring(full.lastIndexOf('/') + 1);
        return name.endsWith(".onnx") ? name.substring(0, name.length() - ".onnx".length()) : name;
    }

    /** Reads every byte of the model. */
    byte[] readBytes() {
        if (path != null) {
            try {
                return Files.readAllBytes(path);
            } catch (IOException e) {
                throw new EncoderException("cannot read model " + this + ": " + e, e);
            }
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = ModelSource.class.getClassLoader();
        }
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new EncoderException("cannot read model " + this + ": no such resource on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new EncoderException("cannot read model " + this + ": " + e, e);
        }
    }

    /** {@code file /abs/path.onnx} or {@code classpath:models/x.onnx}, as used in error messages. */
    @Override
    public String toString() {
        return path != null ? "file " + path.toAbsolutePath() : "classpath:" + resource;
    }
}
