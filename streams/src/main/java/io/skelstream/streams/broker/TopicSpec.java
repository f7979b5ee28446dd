package io.skelstream.streams.broker;

import java.util.Map;

/**
 * A topic SkelStream needs.
 *
 * @param name topic name
 * @param partitions partitions (the unit of parallelism: instances x threads beyond this sit idle)
 * @param replicationFactor copies of each partition
 * @param configs topic-level settings (e.g. min.insync.replicas)
 */
public record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> configs) {

    public TopicSpec {
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + ": partitions must be >= 1, got " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("topic " + name + ": replication factor must be >= 1, got "
                    + replicationFactor);
        }
        configs = Map.copyOf(configs);
    }
}
