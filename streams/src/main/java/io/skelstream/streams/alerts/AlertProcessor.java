package io.skelstream.streams.alerts;

import io.skelstream.schemas.avro.Alert;
import io.skelstream.schemas.avro.AlertEvidence;
import io.skelstream.schemas.avro.AlertState;
import io.skelstream.streams.events.Micros;
import io.skelstream.streams.events.SmoothedWindow;
import io.skelstream.streams.metrics.PipelineMetrics;
import io.skelstream.streams.window.TrackEnded;
import io.skelstream.streams.window.TrackKeys;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Evaluates the {@link AlertRules} on every smoothed window of every track and publishes an {@link Alert} on each
 * RAISED and CLEARED transition, with the observations behind it as evidence. State per (device, track) lives in the
 * changelogged {@value #ALERT_STORE} store, so a restart neither forgets a raised alert nor raises it twice. A track
 * that ends clears its raised alerts (cleared_at = its last frame).
 */
public final class AlertProcessor implements Processor<Object, Object, Object, Object> {

    public static final String ALERT_STORE = "track-alerts";

    private final AlertRules rules;
    private final List<String> modelLabels;
    private final long maxStepMicros;
    private final PipelineMetrics metrics;
    private final String alertsSink;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<Bytes, byte[]> states;

    /**
     * @param maxStepMicros longest capture time one hop may stand for in duration sums (twice the hop: more means
     *                      windows were missing)
     */
    public AlertProcessor(AlertRules rules, List<String> modelLabels, long maxStepMicros, PipelineMetrics metrics,
                          String alertsSink) {
        this.rules = rules;
        this.modelLabels = List.copyOf(modelLabels);
        this.maxStepMicros = maxStepMicros;
        this.metrics = metrics;
        this.alertsSink = alertsSink;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.states = context.getStateStore(ALERT_STORE);
    }

    @Override
    public void process(Record<Object, Object> record) {
        if (rules.isEmpty()) {
            return;
        }
        if (record.value() instanceof TrackEnded ended) {
            endTrack(ended, record.timestamp());
        } else if (record.value() instanceof SmoothedWindow window) {
            observe(window, record.timestamp());
        }
    }

    private void observe(SmoothedWindow window, long timestamp) {
        Bytes key = TrackKeys.trackKey(TrackKeys.deviceKey(window.deviceId()), window.trackId());
        Map<String, RuleState> trackStates = read(states.get(key));
        for (AlertRule rule : rules.rules()) {
            RuleState state = trackStates.computeIfAbsent(rule.id(), id -> new RuleState());
            RuleState.Observation observation = observationFor(rule, window);
            RuleState.Transition transition = state.observe(rule, observation, window.firstOfSegment(), maxStepMicros);
            if (transition != RuleState.Transition.NONE) {
                publish(rule, window.deviceId(), window.trackId(), state, transition, window.endMicros(), timestamp);
            }
        }
        states.put(key, write(trackStates));
    }

    private void endTrack(TrackEnded ended, long timestamp) {
        Bytes key = TrackKeys.trackKey(TrackKeys.deviceKey(ended.deviceId()), ended.trackId());
        Map<String, RuleState> trackStates = read(states.get(key));
        for (AlertRule rule : rules.rules()) {
            RuleState state = trackStates.get(rule.id());
            if (state != null && state.endTrack()) {
                publish(rule, ended.deviceId(), ended.trackId(), state, RuleState.Transition.CLEARED,
                        ended.lastFrameMicros(), timestamp);
            }
        }
        states.delete(key);
    }

    /** The rule's best label in this window and whether it is active. */
    private RuleState.Observation observationFor(AlertRule rule, SmoothedWindow window) {
        String bestLabel = rule.labels().get(0);
        float best = -1f;
        for (String label : rule.labels()) {
            int index = modelLabels.indexOf(label);
            if (index >= 0 && window.probabilities()[index] > best) {
                best = window.probabilities()[index];
                bestLabel = label;
            }
        }
        float confidence = Math.max(best, 0f);
        return new RuleState.Observation(window.startMicros(), window.endMicros(), bestLabel, confidence,
                confidence >= rule.minConfidence());
    }

    private void publish(AlertRule rule, String deviceId, long trackId, RuleState state,
                         RuleState.Transition transition, long atMicros, long timestamp) {
        List<AlertEvidence> evidence = new ArrayList<>();
        for (RuleState.Observation observation : state.evidence(transition)) {
            evidence.add(new AlertEvidence(Micros.toInstant(observation.windowStart()),
                    Micros.toInstant(observation.windowEnd()), observation.label(), observation.confidence()));
        }
        boolean raised = transition == RuleState.Transition.RAISED;
        Alert alert = Alert.newBuilder()
                .setRuleId(rule.id())
                .setDeviceId(deviceId)
                .setTrackId(trackId)
                .setLabel(state.raisedLabel())
                .setSeverity(rule.severity())
                .setState(raised ? AlertState.RAISED : AlertState.CLEARED)
                .setStartedAt(Micros.toInstant(state.startedAt()))
                .setRaisedAt(Micros.toInstant(state.raisedAt()))
                .setClearedAt(raised ? null : Micros.toInstant(atMicros))
                .setEvidence(evidence)
                .build();
        metrics.alertEmitted(rule.id(), alert.getState().name());
        context.forward(new Record<Object, Object>(deviceId, alert, timestamp), alertsSink);
    }

    private static Map<String, RuleState> read(byte[] bytes) {
        Map<String, RuleState> states = new LinkedHashMap<>();
        if (bytes == null) {
            return states;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                String id = in.readUTF();
                states.put(id, RuleState.read(in));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt alert state in store " + ALERT_STORE, e);
        }
        return states;
    }

    /** Rules no longer configured are dropped from the state here. */
    private byte[] write(Map<String, RuleState> trackStates) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            List<AlertRule> present = rules.rules().stream().filter(r -> trackStates.containsKey(r.id())).toList();
            out.writeInt(present.size());
            for (AlertRule rule : present) {
                out.writeUTF(rule.id());
                trackStates.get(rule.id()).write(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
