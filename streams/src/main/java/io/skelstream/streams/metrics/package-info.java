/** The pipeline's Prometheus metrics: {@link io.skelstream.streams.metrics.PipelineMetrics}. */
package io.skelstream.streams.metrics;
