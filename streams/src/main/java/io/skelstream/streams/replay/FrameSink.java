package io.skelstream.streams.replay;

/** Where replayed frames go: a Kafka topic in production, a list in tests. */
public interface FrameSink extends AutoCloseable {

    /** Publishes one frame; may buffer. */
    void publish(ReplayFrame frame);

    /** Blocks until every published frame is acknowledged. */
    void flush();

    @Override
    void close();
}
