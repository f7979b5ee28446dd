package io.skelstream.it.harness;

import java.nio.file.Path;
import java.util.Map;

/**
 * The set-up most integration tests share: a broker in a child JVM, the four topics, and the processor ({@code run},
 * child JVM) on it. Closing stops the app first, so its last transaction ends while the broker is still there.
 */
public final class RunningPipeline implements AutoCloseable {

    private final ChildKafkaBroker broker;
    private final SkelStreamProcess app;

    private RunningPipeline(ChildKafkaBroker broker, SkelStreamProcess app) {
        this.broker = broker;
        this.app = app;
    }

    /** Starts the broker under {@code work/kafka}, creates the topics with {@code partitions} each, starts the app. */
    public static RunningPipeline start(Path work, int partitions, Map<String, String> settings) {
        ChildKafkaBroker broker = ChildKafkaBroker.start(work.resolve("kafka"));
        try {
            PipelineUnderTest.createTopics(broker, partitions);
            return new RunningPipeline(broker, SkelStreamProcess.start("app", work, broker.bootstrapServers(), settings));
        } catch (RuntimeException e) {
            try {
                broker.close();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                e.addSuppressed(interrupted);
            }
            throw e;
        }
    }

    public ChildKafkaBroker broker() {
        return broker;
    }

    public SkelStreamProcess app() {
        return app;
    }

    @Override
    public void close() throws InterruptedException {
        try {
            app.close();
        } finally {
            broker.close();
        }
    }
}
