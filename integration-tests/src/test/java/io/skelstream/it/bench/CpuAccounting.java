package io.skelstream.it.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where CPU time went during a measured interval, from Linux's /proc (no agent in the measured JVMs): CPU seconds
 * of each process of the benchmark (the broker, the app, this driver) and of the app's busiest threads, grouped by
 * thread name with digits dropped ({@code kafka-producer-network-thread}, {@code ...-StreamThread-}, {@code GC...}).
 * Cores used = CPU seconds / wall seconds; on a 2-core machine that is the bottleneck view a profile would give.
 */
final class CpuAccounting {

    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    private final Map<String, Long> processes;
    private final long appPid;
    private final String applicationId;
    private final long startNanos;
    private final Map<String, Double> processStart;
    private final Map<String, Double> threadStart;
    private final Map<String, Double> waitStart;
    private final Map<String, Double> used = new LinkedHashMap<>();

    private CpuAccounting(Map<String, Long> processes, long appPid, String applicationId) {
        this.processes = processes;
        this.appPid = appPid;
        this.applicationId = applicationId;
        this.startNanos = System.nanoTime();
        this.processStart = processSeconds();
        this.threadStart = threadSeconds(appPid);
        this.waitStart = runQueueSeconds();
    }

    /** Starts counting for this JVM's child processes (named by their main class) and this driver. */
    static CpuAccounting start(long appPid, String applicationId) {
        Map<String, Long> processes = new LinkedHashMap<>();
        processes.put("driver (this JVM: producers, consumer)", ProcessHandle.current().pid());
        ProcessHandle.current().children().forEach(child -> {
            String command = String.join(" ", child.info().arguments().orElse(new String[0]));
            String name = child.pid() == appPid ? "app (skelstream run)"
                    : command.contains("kafka.Kafka") ? "broker (kafka.Kafka)" : "child " + child.pid();
            processes.put(name, child.pid());
        });
        return new CpuAccounting(processes, appPid, applicationId);
    }

    /**
     * One line: cores used per process and how long its runnable threads waited for a CPU (thread-seconds per second,
     * from /proc/PID/task/TID/schedstat: above 0 means other processes held the cores), then the app's top threads.
     */
    String summary() {
        double wall = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Double> processEnd = processSeconds();
        Map<String, Double> threadEnd = threadSeconds(appPid);
        Map<String, Double> waitEnd = runQueueSeconds();
        StringBuilder text = new StringBuilder(String.format("over %.1f s wall: ", wall));
        List<String> parts = new ArrayList<>();
        processEnd.forEach((name, end) -> used.put(name, end - processStart.getOrDefault(name, 0.0)));
        processEnd.forEach((name, end) -> parts.add(String.format("%s %.2f cores (waited for a CPU %.2f)", name,
                (end - processStart.getOrDefault(name, 0.0)) / wall,
                waited(name, waitStart, waitEnd) / wall)));
        text.append(String.join(", ", parts));
        Map<String, Double> used = new HashMap<>();
        threadEnd.forEach((name, end) -> used.merge(name, end - threadStart.getOrDefault(name, 0.0), Double::sum));
        String top = used.entrySet().stream().filter(e -> e.getValue() > 0.01 * wall)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(5)
                .map(e -> String.format("%s %.2f", e.getKey(), e.getValue() / wall))
                .collect(Collectors.joining(", "));
        return text.append("; app threads (cores): ").append(top.isEmpty() ? "none busy" : top).toString();
    }

    /** CPU seconds of the process whose name starts with {@code prefix}, up to the last {@link #summary()}. */
    double cpuSeconds(String prefix) {
        return used.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToDouble(Map.Entry::getValue)
                .sum();
    }

    private Map<String, Double> processSeconds() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        processes.forEach((name, pid) -> seconds.put(name, cpuSeconds(Path.of("/proc", pid.toString(), "stat"))));
        return seconds;
    }

    /** Run-queue wait per process and thread ("name/tid"), so threads that end or start do not skew the sums. */
    private Map<String, Double> runQueueSeconds() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        processes.forEach((name, pid) -> {
            try (Stream<Path> tasks = Files.list(Path.of("/proc", pid.toString(), "task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    try {
                        // schedstat: ns on a CPU, ns runnable but waiting on a run queue, time slices
                        seconds.put(name + "/" + task.getFileName(), Long.parseLong(
                                Files.readString(task.resolve("schedstat")).trim().split(" ")[1]) / 1e9);
                    } catch (IOException | RuntimeException e) {
                        // the thread ended between the listing and the read
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
        });
        return seconds;
    }

    /** Run-queue wait of a process's threads between the two readings (threads alive at the second). */
    private static double waited(String process, Map<String, Double> start, Map<String, Double> end) {
        return end.entrySet().stream().filter(e -> e.getKey().startsWith(process + "/"))
                .mapToDouble(e -> e.getValue() - start.getOrDefault(e.getKey(), 0.0)).sum();
    }

    /** CPU seconds per thread-name group of a process (a thread's ticks summed under its name without digits). */
    private Map<String, Double> threadSeconds(long pid) {
        Map<String, Double> seconds = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            tasks.forEach(task -> {
                try {
                    // Linux keeps 15 characters of a thread name; Kafka Streams' threads start with the application id.
                    String comm = Files.readString(task.resolve("comm")).trim();
                    String name = applicationId != null && comm.startsWith(applicationId.substring(0,
                            Math.min(applicationId.length(), comm.length()))) ? "stream threads"
                            : comm.equals("java") ? "unnamed native threads (ONNX Runtime's pool)"
                            : comm.replaceAll("[0-9]+", "#");
                    seconds.merge(name, cpuSeconds(task.resolve("stat")), Double::sum);
                } catch (IOException e) {
                    // the thread ended between the listing and the read: its time is lost to both readings
                }
            });
        } catch (IOException e) {
            return seconds;
        }
        return seconds;
    }

    /** utime + stime of a /proc stat file in seconds; 0 when the process is gone. */
    private static double cpuSeconds(Path stat) {
        try {
            String text = Files.readString(stat);
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ": state is field 0, utime field 11, stime field 12
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
