package io.skelstream.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A single-node KRaft Kafka (broker and controller in one process) running in a child JVM from the
 * {@code kafka_2.13} artifact: formatted with {@code kafka.tools.StorageTool}, started with
 * {@code kafka.Kafka}. Unlike an in-JVM cluster it outlives an application the test kills.
 */
public final class ChildKafkaBroker implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path dir;
    private final int brokerPort;
    private final int controllerPort;
    private ChildJvm jvm;

    private ChildKafkaBroker(Path dir, int brokerPort, int controllerPort) {
        this.dir = dir;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
    }

    /** Formats a fresh log directory under {@code dir} and starts the broker; returns once it serves requests. */
    public static ChildKafkaBroker start(Path dir) {
        ChildKafkaBroker broker = new ChildKafkaBroker(dir, Ports.free(), Ports.free());
        broker.format();
        broker.launch();
        return broker;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    public void createTopic(String name, int partitions) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + name, e);
        }
    }

    /** Stops the broker gracefully and starts it again on the same ports and data. */
    public void restart() throws InterruptedException {
        jvm.stop(Duration.ofSeconds(60));
        launch();
    }

    @Override
    public void close() throws InterruptedException {
        if (jvm != null && jvm.isAlive()) {
            jvm.stop(Duration.ofSeconds(30));
        }
    }

    private Path propertiesFile() {
        return dir.resolve("server.properties");
    }

    private void format() {
        try {
            Files.createDirectories(dir);
            Properties p = new Properties();
            p.setProperty("process.roles", "broker,controller");
            p.setProperty("node.id", "1");
            p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
            p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
            p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
            p.setProperty("controller.listener.names", "CONTROLLER");
            p.setProperty("inter.broker.listener.name", "PLAINTEXT");
            p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            p.setProperty("log.dirs", dir.resolve("data").toString());
            p.setProperty("num.partitions", "1");
            // A single node cannot replicate internal topics three times.
            p.setProperty("offsets.topic.replication.factor", "1");
            p.setProperty("transaction.state.log.replication.factor", "1");
            p.setProperty("transaction.state.log.min.isr", "1");
            p.setProperty("share.coordinator.state.topic.replication.factor", "1");
            p.setProperty("share.coordinator.state.topic.min.isr", "1");
            p.setProperty("group.initial.rebalance.delay.ms", "0");
            p.setProperty("auto.create.topics.enable", "false");
            try (var out = Files.newBufferedWriter(propertiesFile())) {
                p.store(out, "SkelStream integration-test broker");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChildJvm.runToCompletion("kafka-format", dir, "kafka.tools.StorageTool",
                List.of("format", "-t", Uuid.randomUuid().toString(), "-c", propertiesFile().toString()),
                Duration.ofSeconds(60));
    }

    private void launch() {
        jvm = ChildJvm.start("kafka", dir, List.of("-Xmx512m", "-XX:+UseG1GC"), "kafka.Kafka",
                List.of(propertiesFile().toString()));
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!jvm.isAlive()) {
                throw new IllegalStateException("Kafka exited during start-up\n" + jvm.logTail());
            }
            if (serves()) {
                return;
            }
            sleep(200);
        }
        throw new IllegalStateException("Kafka did not start within " + START_TIMEOUT + "\n" + jvm.logTail());
    }

    private boolean serves() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", brokerPort), 200);
        } catch (IOException e) {
            return false;
        }
        try (Admin admin = admin()) {
            return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
