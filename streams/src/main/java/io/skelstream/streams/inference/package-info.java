/**
 * The encoder's own thread, which merges the windows of every task into shared encoder runs while stream threads
 * keep processing frames: {@link io.skelstream.streams.inference.InferenceBatcher}.
 */
package io.skelstream.streams.inference;
