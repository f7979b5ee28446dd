package io.skelstream.it.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A command-line tool of the machine (docker-compose, promtool, prometheus, bash) run as a real process, with a
 * bounded wait. A missing tool fails with the Debian package that provides it.
 */
public final class ExternalTool {

    /** What one run printed and returned. */
    public record Result(List<String> command, int exitCode, String output) {

        /** Output and exit code, for assertion messages. */
        public String describe() {
            return String.join(" ", command) + " exited with " + exitCode + ":\n" + output;
        }
    }

    private final String executable;
    private final String debianPackage;

    /**
     * @param executable    absolute path or a name found on PATH
     * @param debianPackage the package that installs it, named in the failure when it is missing
     */
    public ExternalTool(String executable, String debianPackage) {
        this.executable = executable;
        this.debianPackage = debianPackage;
    }

    public static final ExternalTool DOCKER_COMPOSE = new ExternalTool("docker-compose", "docker-compose");
    public static final ExternalTool PROMTOOL = new ExternalTool("promtool", "prometheus");
    public static final ExternalTool PROMETHEUS = new ExternalTool("prometheus", "prometheus");
    public static final ExternalTool BASH = new ExternalTool("bash", "bash");

    /** The executable's absolute path. */
    public Path resolve() {
        Path direct = Path.of(executable);
        if (direct.isAbsolute()) {
            if (Files.isExecutable(direct)) {
                return direct;
            }
        } else {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(java.io.File.pathSeparator)) {
                Path candidate = Path.of(dir, executable);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
            for (String dir : List.of("/usr/bin", "/usr/sbin", "/bin")) {
                Path candidate = Path.of(dir, executable);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException(executable + " is not installed; on Debian/Ubuntu: apt-get install -y "
                + debianPackage);
    }

    /** Runs the tool to completion in {@code workDir}; output is stdout and stderr together. */
    public Result run(Path workDir, Duration timeout, Map<String, String> environment, String... args) {
        List<String> command = new ArrayList<>();
        command.add(resolve().toString());
        command.addAll(List.of(args));
        try {
            Path log = Files.createTempFile("skelstream-tool-", ".log");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                        .redirectErrorStream(true).redirectOutput(log.toFile());
                builder.environment().putAll(environment);
                Process process = builder.start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                    throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout
                            + ":\n" + Files.readString(log, StandardCharsets.UTF_8));
                }
                return new Result(command, process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }

    public Result run(Path workDir, Duration timeout, String... args) {
        return run(workDir, timeout, Map.of(), args);
    }
}
