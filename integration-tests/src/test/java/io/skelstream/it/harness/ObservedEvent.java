package io.skelstream.it.harness;

import io.skelstream.schemas.SingleObjectCodec;
import io.skelstream.schemas.SkelSerdes;
import io.skelstream.schemas.avro.ActionEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One action event as a read_committed consumer saw it on skel.actions: decoded with our serde, plus where it was
 * read from (partition, offset). Times are microseconds of capture time since the epoch.
 */
public record ObservedEvent(String deviceId, long trackId, long windowStartMicros, long windowEndMicros, String label,
                            float confidence, long emittedAtMicros, int partition, long offset) {

    private static final SingleObjectCodec<ActionEvent> CODEC = SkelSerdes.actionEvent().codec();

    public static ObservedEvent of(ConsumerRecord<byte[], byte[]> record) {
        ActionEvent event = CODEC.decode(record.value());
        return new ObservedEvent(event.getDeviceId(), event.getTrackId(),
                PoseFrames.micros(event.getWindowStart()), PoseFrames.micros(event.getWindowEnd()),
                event.getLabel(), event.getConfidence(), PoseFrames.micros(event.getEmittedAt()),
                record.partition(), record.offset());
    }

    public static List<ObservedEvent> decodeAll(List<ConsumerRecord<byte[], byte[]>> records) {
        List<ObservedEvent> events = new ArrayList<>(records.size());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            events.add(of(record));
        }
        return events;
    }

    /** "device|track", the key windows are kept under. */
    public String trackKey() {
        return deviceId + "|" + trackId;
    }

    /** Events per (device, track), each list in the order read. */
    public static Map<String, List<ObservedEvent>> byTrack(List<ObservedEvent> events) {
        Map<String, List<ObservedEvent>> byTrack = new LinkedHashMap<>();
        for (ObservedEvent event : events) {
            byTrack.computeIfAbsent(event.trackKey(), k -> new ArrayList<>()).add(event);
        }
        return byTrack;
    }
}
