package io.skelstream.encoder.bench;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The machine a benchmark ran on, as written next to its numbers. */
record Machine(String cpu, int cores, String jdk, String os, String onnxRuntime) {

    static Machine current() {
        return new Machine(cpuModel(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                OrtEnvironment.getEnvironment().getVersion());
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** The 1-minute load average (/proc/loadavg): how busy the machine was around a measurement. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    String markdown() {
        return "- CPU: " + cpu + ", " + cores + " cores visible to the JVM\n"
                + "- JDK: " + jdk + "; OS: " + os + "\n"
                + "- ONNX Runtime (Java): " + onnxRuntime + "\n";
    }
}
