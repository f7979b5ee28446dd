/**
 * Per-(device, track) frame stores, ordering, duplicates, gaps, expiry, and the resampling of live windows by the rule
 * shared with the trainer. Entry point: {@link io.skelstream.streams.window.TrackWindowProcessor}.
 */
package io.skelstream.streams.window;
