package io.skelstream.it.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A sampling profile of the app's Kafka Streams threads from thread dumps: SIGQUIT ({@code kill -3}) every half
 * second makes the JVM print all stacks to its output (the app's log file) at the cost of a safepoint, far less than
 * attaching a {@code jcmd}. Each stream-thread stack is put in the first bucket it matches, so the result says where
 * the pipeline's busy thread spends its time (inference, exactly-once commits, waiting in poll, our processors).
 */
final class StreamThreadProfile implements AutoCloseable {

    /** Bucket name -> a frame text that puts a stack in it, checked in this order. */
    private static final List<String[]> BUCKETS = List.of(
            new String[] {"ONNX Runtime run (inference)", "ai.onnxruntime.OrtSession.run"},
            // With the encoder on its own thread: a stream thread whose next batch is ready waits for the one in flight
            new String[] {"waiting for the encoder's results (backpressure)", "InferenceBatcher.await"},
            new String[] {"window resampling / batch fill", "io.skelstream.streams.window.WindowResampler"},
            new String[] {"exactly-once commit", "commitTransaction"},
            new String[] {"exactly-once commit", "TaskExecutor.commit"},
            new String[] {"exactly-once commit", "commitOffsetsOrTransaction"},
            new String[] {"sending (producer)", "KafkaProducer.send"},
            new String[] {"Avro decode", "org.apache.avro"},
            new String[] {"state stores", "org.apache.kafka.streams.state"},
            new String[] {"SkelStream processors (other)", "io.skelstream.streams"},
            new String[] {"consumer poll (waiting for records / fetch)", "KafkaConsumer.poll"});

    private static final java.util.regex.Pattern STREAM_THREAD = java.util.regex.Pattern.compile("\"[^\"\n]*-StreamThread-\\d+\" ");

    private final long pid;
    private final Path log;
    private final long logStart;
    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private int samples;
    private volatile boolean running = true;
    private final Thread thread;

    StreamThreadProfile(long pid, Path log) {
        this.pid = pid;
        this.log = log;
        this.logStart = size(log);
        thread = new Thread(this::sample, "stream-thread-profile");
        thread.setDaemon(true);
        thread.start();
    }

    private void sample() {
        while (running) {
            try {
                new ProcessBuilder("kill", "-QUIT", Long.toString(pid)).start().waitFor(5, TimeUnit.SECONDS);
                Thread.sleep(500);
            } catch (IOException e) {
                return; // no kill command: no profile
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static long size(Path file) {
        try {
            return java.nio.file.Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Reads the dumps the app printed since this profile started. */
    private synchronized void collect() {
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(log.toFile(), "r")) {
            file.seek(logStart);
            byte[] bytes = new byte[(int) Math.max(0, file.length() - logStart)];
            file.readFully(bytes);
            add(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            // no log: no profile
        }
    }

    private void add(String dump) {
        for (String block : dump.split("\n\n")) {
            // The stream thread itself ("<app id>-<uuid>-StreamThread-1"), not its clients' network threads.
            if (!STREAM_THREAD.matcher(block).lookingAt()) {
                continue;
            }
            String bucket = "other";
            for (String[] candidate : BUCKETS) {
                if (block.contains(candidate[1])) {
                    bucket = candidate[0];
                    break;
                }
            }
            counts.merge(bucket, 1, Integer::sum);
            samples++;
        }
    }

    /** "inference 62 %, commit 20 %, ..." over the stream-thread samples taken. */
    synchronized String summary() {
        if (samples == 0) {
            return "no thread dumps";
        }
        return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .map(e -> String.format("%s %.0f %%", e.getKey(), 100.0 * e.getValue() / samples))
                .collect(Collectors.joining(", ")) + " (" + samples + " stream-thread samples)";
    }

    /** Stops sampling and reads the dumps; call before {@link #summary()}. */
    @Override
    public void close() throws InterruptedException {
        if (running) {
            running = false;
            thread.join(30_000);
            Thread.sleep(300); // the last dump reaches the log
            collect();
        }
    }
}
