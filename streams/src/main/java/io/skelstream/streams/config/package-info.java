/** Settings from file, environment and flags, with Kafka pass-through: {@link io.skelstream.streams.config.SkelStreamConfig}. */
package io.skelstream.streams.config;
