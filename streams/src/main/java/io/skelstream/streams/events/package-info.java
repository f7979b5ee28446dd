/**
 * Smoothing, the confidence threshold and the emit mode that turn inferred windows into action events:
 * {@link io.skelstream.streams.events.ActionEventProcessor}.
 */
package io.skelstream.streams.events;
