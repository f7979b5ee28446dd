/**
 * Pipeline benchmarks (issue 6): ingest with inference off, inference saturation against the encoder alone, latency at
 * half of saturation, scaling with 10/100/1000 real-time devices. Each runs a real KRaft broker
 * ({@code ChildKafkaBroker}) and the real app ({@code skelstream run} through {@code SkelStreamProcess}, a child JVM);
 * this JVM plays the devices and a downstream read_committed consumer. Not tests (no *Test / *IT class): run by
 * {@code scripts/bench.sh} ({@code make bench}) through {@link io.skelstream.it.bench.PipelineBenchmark}, which writes
 * the {@code pipeline-benchmark} section of BENCHMARKS.md. {@link io.skelstream.it.bench.LatencyVariants} is the tuning
 * tool behind it: settings side by side at one real-time load, in interleaved rounds, each run's latency decomposed by
 * stage ({@link io.skelstream.it.bench.StageLatencies}).
 */
package io.skelstream.it.bench;
