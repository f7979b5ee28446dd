/** Cross-thread batching of windows into shared encoder runs: {@link io.skelstream.streams.inference.InferenceBatcher}. */
package io.skelstream.streams.inference;
