package io.skelstream.streams.window;

/** What the window processor tells the event processor about one track: a window was inferred, or the track ended. */
public sealed interface TrackUpdate permits InferredWindow, TrackEnded {

    String deviceId();

    long trackId();
}
