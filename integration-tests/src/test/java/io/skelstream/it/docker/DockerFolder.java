package io.skelstream.it.docker;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository's {@code docker/} files are (Maven's failsafe passes the repository root). */
public final class DockerFolder {

    private DockerFolder() {
    }

    public static Path repositoryRoot() {
        String root = System.getProperty("skelstream.repoRoot");
        if (root == null) {
            throw new IllegalStateException("system property skelstream.repoRoot is not set; run through Maven (failsafe)");
        }
        return Path.of(root).toAbsolutePath().normalize();
    }

    /** A file under {@code docker/}, which must exist. */
    public static Path file(String relative) {
        Path path = repositoryRoot().resolve("docker").resolve(relative);
        if (!Files.exists(path)) {
            throw new IllegalStateException("missing " + path);
        }
        return path;
    }
}
