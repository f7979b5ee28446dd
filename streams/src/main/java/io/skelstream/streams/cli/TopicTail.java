package io.skelstream.streams.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.skelstream.schemas.BadRecordException;

/**
 * Prints the records of one topic as JSON lines. Reads only committed transactions ({@code read_committed}), so it
 * shows exactly what downstream consumers of an exactly-once pipeline see. No consumer group: it assigns every
 * partition itself and commits nothing, so tailing never disturbs anything.
 */
public final class TopicTail implements AutoCloseable {

    /**
     * @param fromBeginning start at the oldest record; otherwise only records arriving from now on
     * @param maxRecords stop after this many records (0 = no limit)
     * @param idleTimeout stop after this long without a record (null = never)
     */
    public record Options(boolean fromBeginning, long maxRecords, Duration idleTimeout) {
    }

    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final Deserializer<? extends SpecificRecord> deserializer;

    public TopicTail(Map<String, String> clientProperties, String topic, Deserializer<? extends SpecificRecord> deserializer) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, "skelstream-tail");
        settings.putAll(clientProperties);
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG); // manual assignment, nothing committed
        this.consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        this.deserializer = deserializer;
    }

    /**
     * Prints records until a limit is reached or {@link #stop()} is called from another thread.
     *
     * @param out receives one JSON object per record
     * @return records printed
     */
    public long run(Options options, Consumer<String> out) {
        List<TopicPartition> partitions = partitions();
        consumer.assign(partitions);
        if (options.fromBeginning()) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position); // fix "now" before returning control
        }
        long printed = 0;
        long lastRecordNanos = System.nanoTime();
        try {
            while (options.maxRecords() == 0 || printed < options.maxRecords()) {
                var records = consumer.poll(POLL);
                for (ConsumerRecord<String, byte[]> record : records) {
                    out.accept(line(record));
                    printed++;
                    lastRecordNanos = System.nanoTime();
                    if (options.maxRecords() > 0 && printed >= options.maxRecords()) {
                        break;
                    }
                }
                if (options.idleTimeout() != null && System.nanoTime() - lastRecordNanos > options.idleTimeout().toNanos()) {
                    break;
                }
            }
        } catch (WakeupException e) {
            // stop() was called
        }
        return printed;
    }

    /** Makes {@link #run} return soon; safe from any thread (e.g. a shutdown hook). */
    public void stop() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }

    private List<TopicPartition> partitions() {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalArgumentException("topic " + topic + " does not exist; create it with: skelstream topics");
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : infos) {
            partitions.add(new TopicPartition(info.topic(), info.partition()));
        }
        return partitions;
    }

    /** A decoded record as JSON; an undecodable one is printed as an error object, never skipped silently. */
    private String line(ConsumerRecord<String, byte[]> record) {
        try {
            SpecificRecord value = deserializer.deserialize(record.topic(), record.value());
            return value == null ? errorLine(Map.of("error", "empty record (tombstone)", "offset", record.offset()))
                    : RecordJson.toJsonLine(value);
        } catch (SerializationException | BadRecordException e) {
            Map<String, Object> error = new HashMap<>();
            error.put("error", "undecodable record: " + e.getMessage());
            error.put("topic", record.topic());
            error.put("partition", record.partition());
            error.put("offset", record.offset());
            error.put("key", record.key());
            return errorLine(error);
        }
    }

    private static String errorLine(Map<String, Object> error) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(error);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return "{\"error\":\"undecodable record\"}";
        }
    }
}
