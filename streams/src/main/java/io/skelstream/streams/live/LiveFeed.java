package io.skelstream.streams.live;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.skelstream.schemas.BadRecordException;
import io.skelstream.schemas.SkelSerdes;
import io.skelstream.schemas.avro.ActionEvent;
import io.skelstream.schemas.avro.Alert;
import io.skelstream.schemas.avro.PoseFrame;

/**
 * Tails the processor's output topics and the pose topic for the live view, on its own thread, with one plain
 * consumer that joins no group (it reads every partition, so a page on any instance shows what all instances
 * produced).
 *
 * <p><b>Actions and alerts</b> are read {@code read_committed}, as any downstream consumer reads them: an event of
 * a transaction that is later aborted (a crash mid-commit) never reaches a page, so the page agrees with the topic.
 * On start the last {@link #HISTORY_PER_PARTITION} records of each partition are read back, so the timeline and the
 * active alerts are filled at once.
 *
 * <p><b>Poses come from a consumer of {@code skel.poses}, not from a hook in the intake processor</b>, because:
 * the stream thread then does no extra work at all (no allocation, no lock, nothing that could throw into it or slow
 * a transaction); the page sees every device, also those whose partitions another instance processes; and frames
 * are only decoded when a page follows that device. The cost is one more fetch of the pose topic, which the broker
 * serves from its page cache. Of each poll only the last record per device is kept ({@link LatestPoses}), starting
 * from the end of the topic (history of poses is of no use to a live view).
 */
public final class LiveFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);
    /** Records read back per partition of the actions and alerts topics on start. */
    public static final int HISTORY_PER_PARTITION = 200;
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String posesTopic;
    private final String actionsTopic;
    private final String alertsTopic;
    private final LiveBoard board;
    private final LiveHub hub;
    private final LatestPoses poses;
    private final LiveMetrics metrics;
    private final Thread thread;
    /** Devices whose layout was read (feed thread only). */
    private final java.util.Set<String> knownDevices = new java.util.HashSet<>();

    /**
     * Creates the consumer and starts the feed's thread.
     *
     * @param clientProperties Kafka client settings (bootstrap, security), e.g. {@code config.kafkaClientProperties()}
     */
    public static LiveFeed start(Map<String, String> clientProperties, String posesTopic, String actionsTopic,
                                 String alertsTopic, LiveBoard board, LiveHub hub, LatestPoses poses,
                                 LiveMetrics metrics) {
        LiveFeed feed = new LiveFeed(clientProperties, posesTopic, actionsTopic, alertsTopic, board, hub, poses,
                metrics);
        feed.thread.start();
        return feed;
    }

    private LiveFeed(Map<String, String> clientProperties, String posesTopic, String actionsTopic, String alertsTopic,
                     LiveBoard board, LiveHub hub, LatestPoses poses, LiveMetrics metrics) {
        Map<String, Object> settings = new HashMap<>(clientProperties);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, "skelstream-live-feed");
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer());
        this.posesTopic = posesTopic;
        this.actionsTopic = actionsTopic;
        this.alertsTopic = alertsTopic;
        this.board = board;
        this.hub = hub;
        this.poses = poses;
        this.metrics = metrics;
        this.thread = new Thread(this::run, "skelstream-live-feed");
        thread.setDaemon(true);
    }

    private void run() {
        try {
            assignPartitions();
            while (true) {
                handle(consumer.poll(POLL));
            }
        } catch (WakeupException | InterruptException e) {
            // close() was called
        } catch (RuntimeException e) {
            // the live view is an aid: it must never take the processor down with it
            LOG.error("The live view's feed stopped; the processor carries on, /live shows no new data", e);
        }
    }

    private void assignPartitions() {
        List<TopicPartition> outputs = new ArrayList<>();
        for (String topic : List.of(actionsTopic, alertsTopic)) {
            outputs.addAll(partitionsOf(topic));
        }
        List<TopicPartition> poseParts = partitionsOf(posesTopic);
        List<TopicPartition> all = new ArrayList<>(outputs);
        all.addAll(poseParts);
        consumer.assign(all);
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(outputs);
        Map<TopicPartition, Long> end = consumer.endOffsets(outputs);
        for (TopicPartition partition : outputs) {
            consumer.seek(partition, Math.max(begin.get(partition), end.get(partition) - HISTORY_PER_PARTITION));
        }
        consumer.seekToEnd(poseParts);
        LOG.info("Live view following {} partitions of {}, {} and {}", all.size(), actionsTopic, alertsTopic,
                posesTopic);
    }

    private List<TopicPartition> partitionsOf(String topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(topic, METADATA_TIMEOUT)) {
            partitions.add(new TopicPartition(info.topic(), info.partition()));
        }
        return partitions;
    }

    void handle(ConsumerRecords<String, byte[]> records) {
        if (records.isEmpty()) {
            return;
        }
        // latest pose per device in this poll; older ones in the same poll are of no use to a live view
        Map<String, ConsumerRecord<String, byte[]>> latestPose = new LinkedHashMap<>();
        int poseCount = 0;
        int outputCount = 0;
        for (ConsumerRecord<String, byte[]> record : records) {
            if (record.topic().equals(posesTopic)) {
                poseCount++;
                if (record.key() != null && record.value() != null) {
                    latestPose.put(record.key(), record);
                }
            } else {
                outputCount++;
                handleOutput(record);
            }
        }
        long now = System.currentTimeMillis();
        for (ConsumerRecord<String, byte[]> record : latestPose.values()) {
            poses.put(record.key(), record.value());
            String layout = knownDevices.add(record.key()) ? layoutOf(record.value()) : null;
            synchronized (board) {
                String added = board.poseSeen(record.key(), layout, now);
                if (added != null) {
                    hub.publish("device", added);
                }
            }
        }
        metrics.read(posesTopic, poseCount);
        if (outputCount > 0) {
            metrics.read("outputs", outputCount);
        }
    }

    /** The layout of a new device's frame; only decoded once per device (null when the frame is undecodable). */
    private String layoutOf(byte[] value) {
        try {
            PoseFrame frame = SkelSerdes.poseFrame().deserialize(posesTopic, value);
            return frame.getLayout();
        } catch (BadRecordException e) {
            metrics.undecodable();
            return null;
        }
    }

    private void handleOutput(ConsumerRecord<String, byte[]> record) {
        try {
            if (record.topic().equals(actionsTopic)) {
                ActionEvent event = SkelSerdes.actionEvent().deserialize(record.topic(), record.value());
                synchronized (board) {
                    hub.publish("action", board.action(event));
                }
            } else {
                Alert alert = SkelSerdes.alert().deserialize(record.topic(), record.value());
                synchronized (board) {
                    hub.publish("alert", board.alert(alert));
                }
            }
        } catch (BadRecordException e) {
            metrics.undecodable();
            LOG.warn("Live view skips an undecodable record on {} partition {} offset {}: {}", record.topic(),
                    record.partition(), record.offset(), e.getMessage());
        }
    }

    @Override
    public void close() {
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(2));
    }
}
