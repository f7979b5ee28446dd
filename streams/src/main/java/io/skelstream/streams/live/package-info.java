/**
 * The live view: a page on the operations port ({@code /live}) that shows each device's current action, its skeleton,
 * a timeline of recent actions and the alerts, pushed over server-sent events ({@code /live/events}).
 *
 * <pre>
 * skel.actions, skel.alerts (read_committed) --+
 * skel.poses (latest record per device) -------+-- LiveFeed thread --> LiveBoard (state, snapshot)
 *                                                                  --> LiveHub --> SseClient queues --> browsers
 *                                               pose ticker (10 Hz) --/
 * </pre>
 *
 * Nothing here runs on a stream thread: the feed is an ordinary consumer beside Kafka Streams.
 */
package io.skelstream.streams.live;
