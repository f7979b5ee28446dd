package io.skelstream.streams.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.skelstream.schemas.BadRecordException;
import io.skelstream.schemas.SkelSerdes;
import io.skelstream.schemas.avro.ActionEvent;
import io.skelstream.schemas.avro.Alert;
import io.skelstream.schemas.avro.AlertState;

/**
 * Reads the processor's action events and alerts (committed transactions only, as any downstream consumer would)
 * and hands them to the demo's scoreboard. Runs on its own thread until {@link #stop()}.
 */
public final class OutputFollower implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutputFollower.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String actionsTopic;
    private final String alertsTopic;
    private final DemoScoreboard scoreboard;

    public OutputFollower(Map<String, String> clientProperties, String actionsTopic, String alertsTopic,
                          DemoScoreboard scoreboard) {
        Map<String, Object> settings = new HashMap<>(clientProperties);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, "skelstream-demo-view");
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer());
        this.actionsTopic = actionsTopic;
        this.alertsTopic = alertsTopic;
        this.scoreboard = scoreboard;
    }

    @Override
    public void run() {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(actionsTopic, alertsTopic)) {
                for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                    partitions.add(new TopicPartition(info.topic(), info.partition()));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (true) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    handle(record);
                }
            }
        } catch (WakeupException e) {
            // stop() was called
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        try {
            if (record.topic().equals(actionsTopic)) {
                ActionEvent event = SkelSerdes.actionEvent().deserialize(record.topic(), record.value());
                scoreboard.record(new ObservedAction(event.getDeviceId(), event.getTrackId(),
                        micros(event.getWindowStart()), micros(event.getWindowEnd()), event.getLabel(),
                        event.getConfidence()));
            } else {
                Alert alert = SkelSerdes.alert().deserialize(record.topic(), record.value());
                boolean raised = alert.getState() == AlertState.RAISED;
                Instant at = raised || alert.getClearedAt() == null ? alert.getRaisedAt() : alert.getClearedAt();
                scoreboard.record(new ObservedAlert(alert.getRuleId(), alert.getDeviceId(), alert.getTrackId(),
                        alert.getLabel(), alert.getSeverity().name(), raised, micros(at)));
            }
        } catch (BadRecordException e) {
            LOG.warn("Undecodable record on {} partition {} offset {}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
        }
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }

    /** Makes {@link #run()} return; safe from any thread. */
    public void stop() {
        consumer.wakeup();
    }

    /** Closes the consumer; call after {@link #run()} returned. */
    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
