package io.skelstream.streams.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka broker inside this JVM, for {@code skelstream demo} and for tests.
 *
 * <p>One process acts as controller and broker ("combined" mode). Every replication factor and
 * minimum ISR is 1, which is what lets transactions (exactly-once v2) and consumer groups work on one
 * node. Data lives in a temporary folder deleted on {@link #close()}; ports are picked free at start.
 * Built on Kafka's own test kit ({@code kafka-test-common-runtime}), the way Kafka's tests start a KRaft node.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    /** Broker settings a single node needs; everything else keeps Kafka's defaults. */
    static final Map<String, String> SINGLE_NODE_SETTINGS = Map.of(
            "offsets.topic.replication.factor", "1",
            "offsets.topic.num.partitions", "1",
            "transaction.state.log.replication.factor", "1",
            "transaction.state.log.min.isr", "1",
            "transaction.state.log.num.partitions", "1",
            "min.insync.replicas", "1",
            "default.replication.factor", "1",
            // no point waiting for more group members to join on a one-process demo
            "group.initial.rebalance.delay.ms", "0",
            "auto.create.topics.enable", "false");

    private final KafkaClusterTestKit cluster;
    private final String bootstrapServers;
    private final Path dataDir;

    private EmbeddedKafkaBroker(KafkaClusterTestKit cluster, Path dataDir) {
        this.cluster = cluster;
        this.bootstrapServers = cluster.bootstrapServers();
        this.dataDir = dataDir;
    }

    /** Formats storage, starts the node and waits until the broker accepts clients. */
    public static EmbeddedKafkaBroker start() {
        return start(Map.of());
    }

    /**
     * Starts the broker with extra broker properties on top of {@link #SINGLE_NODE_SETTINGS}.
     *
     * @throws EmbeddedBrokerException when the broker cannot be formatted or started
     */
    public static EmbeddedKafkaBroker start(Map<String, String> extraSettings) {
        long startNanos = System.nanoTime();
        Map<String, String> settings = new TreeMap<>(SINGLE_NODE_SETTINGS);
        settings.putAll(extraSettings);
        KafkaClusterTestKit cluster = null;
        Path dataDir = null;
        try {
            // Our own folder: the test kit's default one is deleted by a JVM shutdown hook, which on SIGTERM would
            // pull the log directory from under the broker while we still shut the pipeline down cleanly.
            dataDir = Files.createTempDirectory("skelstream-kafka-");
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBaseDirectory(dataDir)
                    .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes).setDeleteOnClose(false);
            settings.forEach(builder::setConfigProp);
            cluster = builder.build();
            formatQuietly(cluster);
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(cluster, dataDir);
            throw new EmbeddedBrokerException("interrupted while starting the embedded Kafka broker", e);
        } catch (Exception e) {
            closeQuietly(cluster, dataDir);
            throw new EmbeddedBrokerException("could not start the embedded Kafka broker: " + e.getMessage(), e);
        }
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(cluster, dataDir);
        LOG.info("Embedded Kafka broker ready at {} in {} ms", broker.bootstrapServers(),
                Duration.ofNanos(System.nanoTime() - startNanos).toMillis());
        return broker;
    }

    /** host:port list for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Stops the broker and deletes its data folder. */
    @Override
    public void close() {
        try {
            cluster.close();
            deleteRecursively(dataDir);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedBrokerException("interrupted while stopping the embedded Kafka broker", e);
        } catch (Exception e) {
            throw new EmbeddedBrokerException("could not stop the embedded Kafka broker cleanly: " + e.getMessage(), e);
        }
    }

    /** Storage formatting prints its bootstrap metadata to stdout, which would garble the demo's screen. */
    private static void formatQuietly(KafkaClusterTestKit cluster) throws Exception {
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            cluster.format();
        } finally {
            System.setOut(stdout);
        }
    }

    private static void closeQuietly(KafkaClusterTestKit cluster, Path dataDir) {
        try {
            if (cluster != null) {
                cluster.close();
            }
            if (dataDir != null) {
                deleteRecursively(dataDir);
            }
        } catch (Exception e) {
            LOG.warn("Could not clean up a half-started embedded broker: {}", e.toString());
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
