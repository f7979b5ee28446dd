package io.skelstream.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Java process started from this build's test classpath, its output written to a log file.
 *
 * <p>Integration tests run the broker and the application as separate processes so that killing
 * one (SIGKILL) is a real crash, not a thread interrupted inside the test JVM.
 */
public final class ChildJvm implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code mainClass args} in a new JVM with the test classpath and the Avro trust setting. */
    public static ChildJvm start(String name, Path workDir, List<String> jvmArgs, String mainClass, List<String> args) {
        try {
            Files.createDirectories(workDir);
            Path log = workDir.resolve(name + ".log");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-cp");
            command.add(pathingJar(workDir).toString());
            command.add("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.skelstream.schemas");
            command.addAll(jvmArgs);
            command.add(mainClass);
            command.addAll(args);
            Process process = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return new ChildJvm(name, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start child JVM " + name, e);
        }
    }

    /** Runs a short-lived command to completion; fails with its output when it exits non-zero. */
    public static void runToCompletion(String name, Path workDir, String mainClass, List<String> args, Duration timeout) {
        try (ChildJvm jvm = start(name, workDir, List.of("-Xmx256m"), mainClass, args)) {
            if (!jvm.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " did not finish within " + timeout + "\n" + jvm.logTail());
            }
            if (jvm.process.exitValue() != 0) {
                throw new IllegalStateException(name + " exited with " + jvm.process.exitValue() + "\n" + jvm.logTail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code once the process ended; -1 while it runs. */
    public int exitCode() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    public Path log() {
        return log;
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed; the crash the exactly-once tests need. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM and wait: the graceful path. */
    public int stop(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    /** The last lines of the child's output, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return name + "(pid " + (process.isAlive() ? process.pid() : "exited") + ")";
    }

    /**
     * A manifest-only jar in {@code workDir} whose Class-Path lists the test classpath, so the child's
     * {@code java.class.path} is one short entry. Needed, not cosmetic: ONNX Runtime 1.29.0's Java binding crashes the
     * JVM with SIGSEGV (exit 139, no hs_err file) while creating its environment when java.class.path is longer than a
     * few kilobytes, and this module's classpath is about 7.5 KB. (Surefire and failsafe use the same trick, which is
     * why the encoder loads fine inside the test JVM.)
     */
    static synchronized Path pathingJar(Path workDir) throws IOException {
        Path jar = workDir.resolve("child-classpath.jar");
        if (Files.isRegularFile(jar)) {
            return jar;
        }
        StringBuilder classPath = new StringBuilder();
        for (String entry : testClasspath().split(java.io.File.pathSeparator)) {
            if (!entry.isBlank()) {
                classPath.append(classPath.length() == 0 ? "" : " ").append(Path.of(entry).toUri().toASCIIString());
            }
        }
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.CLASS_PATH, classPath.toString());
        Path partial = Files.createTempFile(workDir, "child-classpath", ".part");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(partial), manifest)) {
            out.flush();
        }
        Files.move(partial, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return jar;
    }

    static String testClasspath() {
        String file = System.getProperty("skelstream.it.classpathFile");
        if (file == null) {
            throw new IllegalStateException("system property skelstream.it.classpathFile is not set; run through Maven");
        }
        try {
            String deps = Files.readString(Path.of(file)).trim();
            // The module's own test classes come first so child mains defined in tests are found.
            Path testClasses = Path.of(file).getParent().resolve("test-classes");
            return testClasses + java.io.File.pathSeparator + deps;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the child classpath from " + file, e);
        }
    }
}
