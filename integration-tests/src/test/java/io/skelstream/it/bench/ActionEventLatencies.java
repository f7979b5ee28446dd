package io.skelstream.it.bench;

import io.skelstream.it.harness.ObservedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A downstream consumer of the actions topic (read_committed, from the beginning, on its own thread) that records,
 * per action event whose window ends at or after a start time, two latencies in milliseconds:
 * <ul>
 * <li>emitted: {@code emitted_at - window_end}, the app's own stamp (window end is the capture time of the
 *     window's newest sampled instant, on the devices' clock = this machine's clock);</li>
 * <li>visible: when this consumer received the event minus {@code window_end}: adds the exactly-once commit (events
 *     become visible to read_committed consumers only when the app's transaction commits) and the fetch.</li>
 * </ul>
 */
final class ActionEventLatencies implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final long fromWindowEndMicros;
    private final List<double[]> latencies = new ArrayList<>(); // {emitted ms, visible ms}
    private volatile boolean running = true;
    private final Thread thread;
    private long seen;

    ActionEventLatencies(String bootstrapServers, String topic, long fromWindowEndMicros) {
        this.fromWindowEndMicros = fromWindowEndMicros;
        consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        consumer.partitionsFor(topic, Duration.ofSeconds(30))
                .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::consume, "action-event-latencies");
        thread.setDaemon(true);
        thread.start();
    }

    private void consume() {
        while (running) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                long receivedMicros = System.currentTimeMillis() * 1000;
                ObservedEvent event = ObservedEvent.of(record);
                synchronized (this) {
                    seen++;
                    if (event.windowEndMicros() >= fromWindowEndMicros) {
                        latencies.add(new double[] {
                            (event.emittedAtMicros() - event.windowEndMicros()) / 1000.0,
                            (receivedMicros - event.windowEndMicros()) / 1000.0});
                    }
                }
            }
        }
    }

    /** Events read so far, counted or not. */
    synchronized long seen() {
        return seen;
    }

    synchronized Percentiles emitted() {
        return Percentiles.of(latencies.stream().mapToDouble(l -> l[0]).toArray());
    }

    synchronized Percentiles visible() {
        return Percentiles.of(latencies.stream().mapToDouble(l -> l[1]).toArray());
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
        consumer.close(Duration.ofSeconds(5));
    }
}
