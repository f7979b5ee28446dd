package io.skelstream.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skelstream.encoder.ModelDescription;
import io.skelstream.it.harness.ChildKafkaBroker;
import io.skelstream.it.harness.CommittedTopicReader;
import io.skelstream.it.harness.ObservedEvent;
import io.skelstream.it.harness.PipelineUnderTest;
import io.skelstream.it.harness.Poll;
import io.skelstream.it.harness.PoseFrames;
import io.skelstream.it.harness.SkelStreamProcess;
import io.skelstream.it.harness.WindowGrid;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scaling out is Kafka's (DESIGN.md): two instances in one group share a 4-partition skel.poses carrying 8 live
 * devices (2 per partition, chosen by the producer's own key hashing); once both hold partitions, one instance is
 * SIGKILLed. The survivor must take over the dead one's partitions (with state restored from the changelogs) and
 * nothing may be lost or doubled: every device's read_committed events are exactly the window ends its frames give
 * ({@link WindowGrid}), and every device the dead instance owned has events the survivor emitted after the kill.
 */
class ScaleOutIT {

    private static final String APPLICATION_ID = "it-scale-out";
    private static final int PARTITIONS = 4;
    private static final int DEVICES_PER_PARTITION = 2;
    private static final long HOP_MS = 500;
    private static final long TOLERANCE_MS = 100;
    private static final double FPS = 15;

    private static ChildKafkaBroker broker;
    private static Path work;
    private static ModelDescription model;

    @BeforeAll
    static void start() {
        work = PipelineUnderTest.workDir("scale-out");
        broker = ChildKafkaBroker.start(work.resolve("kafka"));
        PipelineUnderTest.createTopics(broker, PARTITIONS);
        model = PipelineUnderTest.describe(PipelineUnderTest.model());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (broker != null) {
            broker.close();
        }
    }

    private static Map<String, String> settings(String instance) {
        Map<String, String> settings = PipelineUnderTest.baseSettings(APPLICATION_ID);
        settings.put("streams.state.dir", work.resolve(instance + "-state").toString());
        settings.put("window.hop.ms", String.valueOf(HOP_MS));
        settings.put("window.reorder.tolerance.ms", String.valueOf(TOLERANCE_MS));
        settings.put("track.inactivity.timeout.ms", "600000");
        // a killed member is noticed after the session timeout; keep the takeover within the test's time
        settings.put("streams.session.timeout.ms", "6000");
        settings.put("streams.heartbeat.interval.ms", "1000");
        return settings;
    }

    @Test
    void shouldHandOverTheDevicesOfAKilledInstanceWithoutLosingOrDoublingEvents() throws Exception {
        Map<Integer, List<String>> devicesByPartition = devicesByPartition();
        List<String> devices = new ArrayList<>();
        devicesByPartition.values().forEach(devices::addAll);

        CompletableFuture<SkelStreamProcess> startingA = CompletableFuture.supplyAsync(() ->
                SkelStreamProcess.start("app-a", work, broker.bootstrapServers(), settings("app-a")));
        CompletableFuture<SkelStreamProcess> startingB = CompletableFuture.supplyAsync(() ->
                SkelStreamProcess.start("app-b", work, broker.bootstrapServers(), settings("app-b")));
        SkelStreamProcess a;
        SkelStreamProcess b;
        try {
            a = startingA.get(180, TimeUnit.SECONDS);
            b = startingB.get(180, TimeUnit.SECONDS);
        } catch (Exception e) {
            // whichever instance did start must not outlive the test
            startingA.thenAccept(SkelStreamProcess::close);
            startingB.thenAccept(SkelStreamProcess::close);
            throw e;
        }
        try (a; b) {
            Map<String, Set<Integer>> owners = new HashMap<>();
            Poll.until("both instances to own poses partitions", Duration.ofSeconds(90), () -> {
                owners.clear();
                owners.putAll(poseOwners());
                return owners.size() == 2 && owners.values().stream().allMatch(p -> !p.isEmpty())
                        && owners.values().stream().mapToInt(Set::size).sum() == PARTITIONS;
            }, () -> "owners: " + owners + "\n--- a\n" + a.jvm().logTail() + "\n--- b\n" + b.jvm().logTail());

            LiveDevices feed = new LiveDevices(devices);
            Thread publisher = new Thread(feed, "live-devices");
            publisher.start();
            Poll.sleep(8_000);

            // Group members are named by generated client ids, so the test does not pick a partition's owner: it
            // kills B, and B's partitions are those the survivor did not own before the kill.
            Map<String, Set<Integer>> before = poseOwners();
            Set<Integer> killedPartitions;
            SkelStreamProcess killed = b;
            SkelStreamProcess survivor = a;
            long killedAtMicros = System.currentTimeMillis() * 1000;
            b.kill();
            Poll.sleep(15_000);
            feed.stop();
            publisher.join(10_000);

            Map<String, Set<Integer>> after = poseOwners();
            assertEquals(1, after.size(), "one member left after the kill: " + after + "\n" + a.jvm().logTail());
            Set<Integer> survivorBefore = before.get(after.keySet().iterator().next());
            assertTrue(survivorBefore != null, "the survivor was a member before the kill: " + before + " / " + after);
            killedPartitions = new TreeSet<>();
            for (int p = 0; p < PARTITIONS; p++) {
                if (!survivorBefore.contains(p)) {
                    killedPartitions.add(p);
                }
            }
            assertFalse(killedPartitions.isEmpty(), "the killed instance owned partitions: " + before);
            assertEquals(PARTITIONS, after.values().iterator().next().size(), "the survivor owns every partition");

            WindowGrid grid = WindowGrid.of(model, HOP_MS, TOLERANCE_MS);
            Map<String, List<Long>> expected = new TreeMap<>();
            int total = 0;
            for (String device : devices) {
                List<Long> ends = grid.expectedEnds(feed.first.get(device), feed.last.get(device),
                        Math.round(1e6 / FPS));
                expected.put(device, ends);
                total += ends.size();
            }
            int expectedTotal = total;
            try (CommittedTopicReader actions = new CommittedTopicReader(broker.bootstrapServers(),
                    PipelineUnderTest.ACTIONS)) {
                Poll.until(expectedTotal + " events", Duration.ofSeconds(120),
                        () -> actions.poll(Duration.ofMillis(200)).size() >= expectedTotal, survivor.jvm()::logTail);
                Poll.sleep(2_000);
                actions.poll(Duration.ofMillis(1_000));
                Map<String, List<ObservedEvent>> byTrack = ObservedEvent.byTrack(
                        ObservedEvent.decodeAll(actions.records()));
                int takenOver = 0;
                for (String device : devices) {
                    List<ObservedEvent> events = byTrack.getOrDefault(device + "|1", List.of());
                    List<Long> ends = new ArrayList<>();
                    events.forEach(e -> ends.add(e.windowEndMicros()));
                    assertEquals(expected.get(device), new ArrayList<>(new TreeSet<>(ends)),
                            device + ": window ends (gaps?)\n" + survivor.jvm().logTail());
                    assertEquals(expected.get(device).size(), ends.size(), device + ": duplicates");
                    int partition = partitionOf(device);
                    if (killedPartitions.contains(partition)) {
                        boolean emittedAfterKill = events.stream().anyMatch(e -> e.emittedAtMicros() > killedAtMicros);
                        assertTrue(emittedAfterKill, device + " (partition " + partition + ", owned by the killed instance)"
                                + " has no event emitted after the kill");
                        takenOver++;
                    }
                }
                assertEquals(byTrack.size(), devices.size(), "one track per device, nothing else: " + byTrack.keySet());
                System.out.printf("ScaleOutIT: %d devices over %d partitions, %s taken over from the killed"
                        + " instance (%d devices); %d events, exactly the %d expected%n",
                        devices.size(), PARTITIONS, killedPartitions, takenOver, actions.records().size(),
                        expectedTotal);
            }
            assertTrue(survivor.get("/readyz") != null, "the survivor is RUNNING\n" + survivor.jvm().logTail());
            assertFalse(killed.jvm().isAlive());
        }
    }

    /** Eight device ids, two per partition of the 4-partition topic, by the producer's key hashing. */
    private static Map<Integer, List<String>> devicesByPartition() {
        Map<Integer, List<String>> byPartition = new TreeMap<>();
        for (int n = 1; byPartition.values().stream().mapToInt(List::size).sum() < PARTITIONS * DEVICES_PER_PARTITION;
             n++) {
            String device = String.format("scale-%03d", n);
            List<String> list = byPartition.computeIfAbsent(partitionOf(device), p -> new ArrayList<>());
            if (list.size() < DEVICES_PER_PARTITION) {
                list.add(device);
            }
        }
        return byPartition;
    }

    /** The default partitioner's choice for a keyed record (murmur2 of the key bytes). */
    private static int partitionOf(String device) {
        return Utils.toPositive(Utils.murmur2(device.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    /** Members of the application's group (by member id) and the skel.poses partitions each is assigned. */
    private static Map<String, Set<Integer>> poseOwners() {
        try (Admin admin = broker.admin()) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(APPLICATION_ID))
                    .describedGroups().get(APPLICATION_ID).get(10, TimeUnit.SECONDS);
            Map<String, Set<Integer>> owners = new TreeMap<>();
            Collection<MemberDescription> members = group.members();
            for (MemberDescription member : members) {
                Set<Integer> partitions = new TreeSet<>();
                for (TopicPartition tp : member.assignment().topicPartitions()) {
                    if (tp.topic().equals(PipelineUnderTest.POSES)) {
                        partitions.add(tp.partition());
                    }
                }
                owners.put(member.consumerId(), partitions);
            }
            return owners;
        } catch (Exception e) {
            return Map.of();
        }
    }

    /** Live devices: every device publishes one frame per 1/15 s with the wall clock as capture time. */
    private static final class LiveDevices implements Runnable {
        private final List<String> devices;
        private final AtomicBoolean running = new AtomicBoolean(true);
        final Map<String, Long> first = new ConcurrentHashMap<>();
        final Map<String, Long> last = new ConcurrentHashMap<>();

        LiveDevices(List<String> devices) {
            this.devices = devices;
        }

        void stop() {
            running.set(false);
        }

        @Override
        public void run() {
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.<String, Object>of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.LINGER_MS_CONFIG, 5), new ByteArraySerializer(), new ByteArraySerializer())) {
                long period = Math.round(1e6 / FPS);
                long start = System.currentTimeMillis() * 1000;
                for (long tick = 0; running.get(); tick++) {
                    long due = start + tick * period;
                    long wait = due - System.currentTimeMillis() * 1000;
                    if (wait > 0) {
                        Poll.sleep(wait / 1000);
                    }
                    for (String device : devices) {
                        producer.send(new ProducerRecord<>(PipelineUnderTest.POSES,
                                device.getBytes(StandardCharsets.UTF_8),
                                PoseFrames.encode(PoseFrames.frame(device, due, tick, 1))));
                        first.putIfAbsent(device, due);
                        last.put(device, due);
                    }
                }
                producer.flush();
            }
        }
    }
}
