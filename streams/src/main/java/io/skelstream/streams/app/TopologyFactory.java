package io.skelstream.streams.app;

import org.apache.kafka.streams.Topology;

import io.skelstream.encoder.ActionEncoder;
import io.skelstream.streams.config.SkelStreamConfig;
import io.skelstream.streams.metrics.PipelineMetrics;

/** Builds the processing topology once the model is loaded; production passes the real one, see {@link SkelStreamApplication}. */
@FunctionalInterface
public interface TopologyFactory {

    Topology build(SkelStreamConfig config, ActionEncoder encoder, PipelineMetrics metrics);
}
