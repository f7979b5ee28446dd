package io.skelstream.streams.events;

import io.skelstream.encoder.ModelDescription;
import io.skelstream.schemas.avro.ActionEvent;
import io.skelstream.schemas.avro.LabelScore;
import io.skelstream.streams.config.EmitMode;
import io.skelstream.streams.metrics.PipelineMetrics;
import io.skelstream.streams.window.InferredWindow;
import io.skelstream.streams.window.TrackEnded;
import io.skelstream.streams.window.TrackKeys;
import io.skelstream.streams.window.TrackUpdate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Turns inferred windows into {@link ActionEvent}s: probabilities are averaged over the track's last N windows
 * ({@code events.smoothing.windows}); the smoothed top label is the track's action if its smoothed probability reaches
 * {@code events.min.confidence}, else the track is "no action" and <em>no event is produced</em> (a "none" event would
 * be a false event to every consumer that counts events). In {@code every-hop} mode each confident window gives an
 * event; in {@code on-change} mode only a window whose confident label differs from the last confident label does,
 * where a stretch of "no action" in between counts as a change (so wave, none, wave gives two events).
 *
 * <p>The history restarts with the first window of a segment (new track, or after a long gap) and is deleted when the
 * track ends. Every smoothed window also goes on to the alert rules, whatever was emitted. Emission time comes from
 * the task's wall clock; emitted-at minus the window's end capture time is observed as the end-to-end latency.
 */
public final class ActionEventProcessor implements Processor<Object, TrackUpdate, Object, Object> {

    public static final String SMOOTHING_STORE = "track-smoothing";

    private final ModelDescription model;
    private final int smoothingWindows;
    private final float minConfidence;
    private final EmitMode emitMode;
    private final int topK;
    private final PipelineMetrics metrics;
    private final String actionsSink;
    private final String alertsChild;

    private ProcessorContext<Object, Object> context;
    private KeyValueStore<Bytes, byte[]> histories;

    public ActionEventProcessor(ModelDescription model, int smoothingWindows, double minConfidence, EmitMode emitMode,
                                int topK, PipelineMetrics metrics, String actionsSink, String alertsChild) {
        this.model = model;
        this.smoothingWindows = smoothingWindows;
        this.minConfidence = (float) minConfidence;
        this.emitMode = emitMode;
        this.topK = Math.min(topK, model.labelCount());
        this.metrics = metrics;
        this.actionsSink = actionsSink;
        this.alertsChild = alertsChild;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.histories = context.getStateStore(SMOOTHING_STORE);
    }

    @Override
    public void process(Record<Object, TrackUpdate> record) {
        TrackUpdate update = record.value();
        Bytes trackKey = TrackKeys.trackKey(TrackKeys.deviceKey(update.deviceId()), update.trackId());
        if (update instanceof TrackEnded) {
            histories.delete(trackKey);
            context.forward(record.withValue((Object) update), alertsChild);
            return;
        }
        InferredWindow window = (InferredWindow) update;
        SmoothingHistory history = window.firstOfSegment()
                ? new SmoothingHistory(smoothingWindows, model.labelCount())
                : SmoothingHistory.fromBytes(histories.get(trackKey), smoothingWindows, model.labelCount());
        history.push(window.result().probabilities());
        float[] smoothed = history.mean();
        int top = argmax(smoothed);
        float confidence = smoothed[top];
        boolean confident = confidence >= minConfidence;
        boolean emit = confident && (emitMode == EmitMode.EVERY_HOP || history.lastLabel() != top);
        history.lastLabel(confident ? top : SmoothingHistory.NO_ACTION);
        histories.put(trackKey, history.toBytes());

        if (emit) {
            long nowMillis = context.currentSystemTimeMs();
            ActionEvent event = ActionEvent.newBuilder()
                    .setDeviceId(window.deviceId())
                    .setTrackId(window.trackId())
                    .setWindowStart(Micros.toInstant(window.startMicros()))
                    .setWindowEnd(Micros.toInstant(window.endMicros()))
                    .setLabel(model.labels().get(top))
                    .setConfidence(confidence)
                    .setTopK(topLabels(smoothed))
                    .setModelName(model.name())
                    .setModelSha256(model.sha256())
                    .setEmittedAt(Micros.toInstant(nowMillis * 1000))
                    .build();
            metrics.eventEmitted(event.getLabel(), nowMillis - window.endMicros() / 1000);
            context.forward(new Record<Object, Object>(window.deviceId(), event, record.timestamp()), actionsSink);
        }
        SmoothedWindow smoothedWindow = new SmoothedWindow(window.deviceId(), window.trackId(), window.startMicros(),
                window.endMicros(), window.firstOfSegment(), smoothed, top, confidence);
        context.forward(new Record<Object, Object>(window.deviceId(), smoothedWindow, record.timestamp()),
                alertsChild);
    }

    private List<LabelScore> topLabels(float[] probabilities) {
        Integer[] order = new Integer[probabilities.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // stable sort: ties keep label order, as the encoder's own top-k does
        Arrays.sort(order, Comparator.comparingDouble(i -> -probabilities[i]));
        List<LabelScore> top = new ArrayList<>(topK);
        for (int rank = 0; rank < topK; rank++) {
            top.add(new LabelScore(model.labels().get(order[rank]), probabilities[order[rank]]));
        }
        return top;
    }

    private static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
