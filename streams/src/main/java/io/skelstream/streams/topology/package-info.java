/**
 * The one topology every deployment and test runs: {@link io.skelstream.streams.topology.SkelStreamTopology#buildTopology}
 * wires decoding and validation ({@link io.skelstream.streams.topology.FrameIntakeProcessor}), windows and batched
 * inference ({@code window}, {@code inference}), events ({@code events}) and alert rules ({@code alerts}).
 */
package io.skelstream.streams.topology;
