package io.skelstream.streams.app;

import io.skelstream.streams.topology.SkelStreamTopology;

/** The production topology as a {@link TopologyFactory}: the one {@code buildTopology} every test drives too. */
public final class ProcessingTopology {

    private ProcessingTopology() {
    }

    public static TopologyFactory factory() {
        return SkelStreamTopology::buildTopology;
    }
}
