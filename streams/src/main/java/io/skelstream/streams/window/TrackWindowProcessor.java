package io.skelstream.streams.window;

import io.skelstream.encoder.WindowBatch;
import io.skelstream.encoder.WindowResult;
import io.skelstream.schemas.avro.ErrorKind;
import io.skelstream.streams.inference.InferenceBatcher;
import io.skelstream.streams.metrics.PipelineMetrics;
import io.skelstream.streams.topology.DeadLetters;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps every (device, track)'s recent frames, decides when a window is due, and runs due windows through the
 * encoder in batches.
 *
 * <h2>State (all changelogged)</h2>
 * <ul>
 * <li>{@value #FRAMES_STORE}: one entry per frame and track, key {@link TrackKeys#frameKey} (device | track | capture
 *     time), value the body's V*3 little-endian float32 in the model's layout. A new frame is one put; nothing is
 *     rewritten. Frames no later window needs are deleted after each window (see {@link #evictAfterWindow}); a
 *     window reads only its own stretch of the track (a range scan from just before its start).</li>
 * <li>{@value #TRACKS_STORE}: a {@link TrackState} per track (newest frame, segment start, next window end, last
 *     seen).</li>
 * <li>{@value #DEVICES_STORE}: a {@link DeviceSequence} per device, to drop frames sent twice; freed with the
 *     device's last track after the inactivity timeout.</li>
 * <li>{@value #PENDING_STORE}: windows that are due but whose events have not been produced yet, key = track key +
 *     window end.</li>
 * </ul>
 *
 * <h2>Frames</h2>
 * A frame newer than its track's newest is appended. One older by at most the reorder tolerance is put in its place
 * (counted as reordered); one older than that, or from before the track's current segment, is late: counted and sent
 * to the dead-letter topic as LATE_FRAME. A frame whose device sequence was already seen, or whose track already has a
 * frame at that capture time, is a duplicate: counted and dropped. A frame more than the max gap after its track's
 * newest restarts the track: the old segment's remaining windows are made due, and windows start afresh at the new
 * frame (gaps up to the max gap are bridged by the resampling's interpolation). Tracks silent for the inactivity
 * timeout are expired by a wall-clock punctuator; a new track on a device at its track limit frees the least
 * recently seen one.
 *
 * <h2>Windows</h2>
 * The first window of a segment ends one window span after the segment's first frame, later ones every hop. A window
 * is due once the track's newest frame is at least the reorder tolerance past its end (so no frame that could still
 * be put in order is missing). For a model of M persons, person 0 is the track and persons 1.. are the device's
 * other tracks nearest to it (mean distance of body centres over the window), or zeros.
 *
 * <h2>Why no window is lost or produced twice (exactly-once v2)</h2>
 * A due window is first written to the pending store, in the same task transaction as the input offset of the frame
 * that made it due. It is flushed in two steps. Submit: once {@code batch.max.size} windows are pending (from
 * {@code process()}), or from a wall-clock punctuator every {@code batch.max.wait.ms}, the oldest pending windows are
 * resampled into this task's batch and handed to the {@link InferenceBatcher}'s thread; the stream thread goes on
 * with frames. Forward: at the next record or punctuation after the results are in (or at once, waiting, when a
 * third full batch is ready), each window's update is forwarded and its pending entry deleted, batch after batch in
 * the order they were sent. At most two batches per task are in flight; their windows stay in the pending store. The forwarded events and the deletion of the
 * pending entry go into one transaction, so a read_committed consumer sees either both or neither. If the task
 * crashes, is revoked or aborts in between, the transaction aborts and the in-flight results are dropped (close()
 * waits for the run, then forgets it): the restored pending store still holds the windows, and the restored frame
 * store still holds their frames (frames are evicted only after their windows are forwarded), so the windows are
 * inferred again after restore and each event appears exactly once. A window made due but not yet forwarded at a
 * commit is in the committed pending store for the same reason. Store caching is on for the pending store, so a
 * window forwarded within one commit never reaches the changelog at all. With {@code events.commit.on.emit}
 * (default) every forward requests a commit, which Kafka Streams performs at the end of the current loop iteration:
 * events do not wait for the commit interval. With {@code batch.shed.age.ms} set, a window already older than that
 * when its batch is built leaves the same way without an event (counted). The in-memory mirrors of the track, device
 * and pending stores are rebuilt from the restored stores whenever the task is (re)initialised, so they never hold
 * uncommitted state across an abort.
 *
 * <p>Late frames with several bodies give one LATE_FRAME dead letter per late body (each names its track).
 */
public final class TrackWindowProcessor implements Processor<String, AcceptedFrame, Object, Object> {

    public static final String FRAMES_STORE = "track-frames";
    public static final String TRACKS_STORE = "track-state";
    public static final String DEVICES_STORE = "device-sequence";
    public static final String PENDING_STORE = "pending-windows";

    private static final byte FIRST_OF_SEGMENT = 1;
    private static final long NO_FRAME = Long.MIN_VALUE;
    /** Batches a task may have at the inference thread: one running, one queued behind it. */
    private static final int MAX_BATCHES_IN_FLIGHT = 2;

    private final WindowGeometry geometry;
    private final int[] centreJoints;
    private final InferenceBatcher batcher;
    private final PipelineMetrics metrics;
    private final long inactivityMillis;
    private final int maxTracksPerDevice;
    private final long maxWaitMillis;
    private final boolean commitOnEmit;
    private final boolean inferenceThread;
    private final long shedAgeMicros;
    private final String deadLetterSink;
    private final String updatesChild;

    private final WindowResampler resampler;
    private final TrackFrames trackFrames;
    private final TrackFrames partnerFrames;
    private final float[] bodyWindow;
    private final List<float[]> partnerWindows = new ArrayList<>();
    private final double[] centreA = new double[3];
    private final double[] centreB = new double[3];

    private ProcessorContext<Object, Object> context;
    private KeyValueStore<Bytes, byte[]> frames;
    private KeyValueStore<Bytes, byte[]> tracks;
    private KeyValueStore<Bytes, byte[]> devices;
    private KeyValueStore<Bytes, byte[]> pending;
    private int ownTracks;
    /** Batches submitted to the inference thread and not yet forwarded, oldest first (at most two). */
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    /** The pending windows in those batches. */
    private final Set<Bytes> inFlightWindows = new HashSet<>();
    /** Batch buffers not in flight: [batch.max.size][T][M][V][3] float32 each, two per processor. */
    private final ArrayDeque<WindowBatch> freeBatches = new ArrayDeque<>();

    // In-memory mirrors of the small stores, written through on every change and rebuilt from the (restored) stores
    // on first use after init(): reads never touch the store, and scans need no store iterator. Kafka Streams closes
    // and re-inits a task's processors after any aborted transaction (the stores are then restored to the last
    // commit), so a mirror never outlives the committed state it was built from.
    private final NavigableMap<Bytes, TrackState> trackStates = new TreeMap<>();
    private final Map<Bytes, DeviceSequence> deviceSequences = new HashMap<>();
    private final NavigableMap<Bytes, Byte> pendingWindows = new TreeMap<>();
    private boolean mirrorsLoaded;

    /**
     * @param centreJoints joints of the model's layout whose mean is a body's centre (for choosing partners)
     * @param commitOnEmit   request a commit after every flush that forwarded windows (events visible at once)
     * @param inferenceThread leave inference to the batcher's thread and keep processing frames meanwhile (false:
     *                       the stream thread runs each batch itself, or waits for it behind another task's run)
     * @param shedAgeMillis  due windows whose end is older than this (wall clock) when their batch is built are shed
     *                       (counted, no event); 0: never
     * @param deadLetterSink name of the dead-letter sink node (late frames go there)
     * @param updatesChild   name of the node that receives {@link TrackUpdate}s
     */
    public TrackWindowProcessor(WindowGeometry geometry, int[] centreJoints, InferenceBatcher batcher,
                                PipelineMetrics metrics, long inactivityMillis, int maxTracksPerDevice,
                                long maxWaitMillis, boolean commitOnEmit, boolean inferenceThread,
                                long shedAgeMillis, String deadLetterSink, String updatesChild) {
        this.geometry = geometry;
        this.centreJoints = centreJoints.clone();
        this.batcher = batcher;
        this.metrics = metrics;
        this.inactivityMillis = inactivityMillis;
        this.maxTracksPerDevice = maxTracksPerDevice;
        this.maxWaitMillis = maxWaitMillis;
        this.commitOnEmit = commitOnEmit;
        this.inferenceThread = inferenceThread;
        this.shedAgeMicros = shedAgeMillis * 1000;
        this.deadLetterSink = deadLetterSink;
        this.updatesChild = updatesChild;
        this.resampler = new WindowResampler(geometry.frames(), geometry.fps());
        this.trackFrames = new TrackFrames(geometry.joints());
        this.partnerFrames = new TrackFrames(geometry.joints());
        this.bodyWindow = new float[geometry.bodyWindowFloats()];
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.frames = context.getStateStore(FRAMES_STORE);
        this.tracks = context.getStateStore(TRACKS_STORE);
        this.devices = context.getStateStore(DEVICES_STORE);
        this.pending = context.getStateStore(PENDING_STORE);
        // Fresh batches: one still being read by an inference run of this processor's previous life stays its own.
        inFlight.clear();
        inFlightWindows.clear();
        freeBatches.clear();
        for (int i = 0; i < MAX_BATCHES_IN_FLIGHT; i++) {
            freeBatches.add(batcher.newCallerBatch());
        }
        mirrorsLoaded = false;
        context.schedule(Duration.ofMillis(Math.max(1, maxWaitMillis)), PunctuationType.WALL_CLOCK_TIME,
                now -> flush());
        long expiryEvery = Math.max(100, Math.min(5_000, inactivityMillis / 4));
        context.schedule(Duration.ofMillis(expiryEvery), PunctuationType.WALL_CLOCK_TIME, this::expireSilentTracks);
    }

    /**
     * Builds the mirrors from the stores on first use after init, when the stores hold what was restored from the
     * changelogs. Pending windows found here are flushed by the first punctuation (init may not forward).
     */
    private void loadMirrors() {
        if (mirrorsLoaded) {
            return;
        }
        mirrorsLoaded = true;
        trackStates.clear();
        deviceSequences.clear();
        pendingWindows.clear();
        try (KeyValueIterator<Bytes, byte[]> it = tracks.all()) {
            it.forEachRemaining(entry -> trackStates.put(entry.key, TrackState.fromBytes(entry.value)));
        }
        try (KeyValueIterator<Bytes, byte[]> it = devices.all()) {
            it.forEachRemaining(entry -> deviceSequences.put(entry.key, DeviceSequence.fromBytes(entry.value)));
        }
        try (KeyValueIterator<Bytes, byte[]> it = pending.all()) {
            it.forEachRemaining(entry -> pendingWindows.put(entry.key, entry.value[0]));
        }
        ownTracks = trackStates.size();
        metrics.activeTracksChanged(ownTracks);
    }

    @Override
    public void close() {
        for (InFlight batch : inFlight) {
            // Its windows are still in the pending store: whoever restores the task infers them again. Wait for the
            // run (short) so that no run reads this task's batch once the application goes on to close the encoder.
            batch.results.handle((results, failure) -> null).join();
        }
        inFlight.clear();
        inFlightWindows.clear();
        metrics.activeTracksChanged(-ownTracks);
        ownTracks = 0;
        trackStates.clear();
        deviceSequences.clear();
        pendingWindows.clear();
        mirrorsLoaded = false;
    }

    // ------------------------------------------------------------------------------------------------ frames

    @Override
    public void process(Record<String, AcceptedFrame> record) {
        loadMirrors();
        AcceptedFrame frame = record.value();
        Bytes deviceKey = Bytes.wrap(frame.deviceKey());
        DeviceSequence sequence = deviceSequences.getOrDefault(deviceKey, DeviceSequence.NONE);
        if (sequence.hasSeen(frame.sequence())) {
            metrics.duplicateFrame();
            return;
        }
        long nowMillis = context.currentSystemTimeMs();
        DeviceSequence updated = sequence.record(frame.sequence(), frame.captureMicros(), nowMillis);
        deviceSequences.put(deviceKey, updated);
        devices.put(deviceKey, updated.toBytes());
        for (AcceptedFrame.TrackBody body : frame.bodies()) {
            acceptBody(frame, body, nowMillis);
        }
        if (inferenceThread && pendingWindows.size() - inFlightWindows.size() >= batcher.maxBatch()) {
            // A full batch is ready: send it while the encoder works on the one in flight, so the encoder never waits
            // for this thread to forward and build; with two out already, first wait for the older. At most two
            // batches are built ahead of their results, so a stream thread faster than the encoder slows to its
            // pace instead of piling up pending windows and their frames.
            if (inFlight.size() >= MAX_BATCHES_IN_FLIGHT) {
                forwardOldest();
            }
            submitNext();
        } else if (pendingWindows.size() >= batcher.maxBatch() || oldestDone()
                || (maxWaitMillis == 0 && !pendingWindows.isEmpty())) {
            flush();
        }
    }

    private void acceptBody(AcceptedFrame frame, AcceptedFrame.TrackBody body, long nowMillis) {
        Bytes trackKey = TrackKeys.trackKey(frame.deviceKey(), body.trackId());
        long t = frame.captureMicros();
        TrackState state = trackStates.get(trackKey);
        if (state == null) {
            makeRoomForTrack(frame.deviceKey());
            frames.put(TrackKeys.frameKey(trackKey, t), body.joints());
            state = TrackState.startingAt(t, resampler.firstSpanMicros(t), nowMillis);
            ownTracks++;
            metrics.activeTracksChanged(1);
        } else {
            if (t > state.newestMicros()) {
                if (t - state.newestMicros() > geometry.maxGapMicros()) {
                    // The old segment is complete: its remaining windows are due now. Its frames stay until those
                    // windows are flushed; windows of the new segment never sample before the new segment's start.
                    state = markDue(trackKey, state, state.newestMicros());
                    state = TrackState.startingAt(t, resampler.firstSpanMicros(t), nowMillis);
                    metrics.windowRestart();
                } else {
                    state = state.withNewest(t, nowMillis);
                }
                frames.put(TrackKeys.frameKey(trackKey, t), body.joints());
            } else {
                boolean beforeSegment = t < state.segmentStartMicros();
                if (beforeSegment && state.newestMicros() - t <= geometry.toleranceMicros()
                        && state.nextWindowEndMicros() == state.segmentStartMicros()
                        + resampler.firstSpanMicros(state.segmentStartMicros())) {
                    // The segment's first frames arrived out of order and no window is due yet: start it earlier.
                    long firstEnd = t + resampler.firstSpanMicros(t);
                    state = new TrackState(state.newestMicros(), t, firstEnd, state.lastSeenWallMillis());
                    beforeSegment = false;
                }
                if (beforeSegment || state.newestMicros() - t > geometry.toleranceMicros()) {
                    metrics.lateFrame();
                    DeadLetters.send(context, deadLetterSink, metrics, frame.rawKey(), frame.rawValue(),
                            ErrorKind.LATE_FRAME, "PoseFrame from device '" + frame.deviceId() + "' track "
                                    + body.trackId() + ": capture_time " + t + " us is "
                                    + (state.newestMicros() - t) / 1000.0 + " ms behind the track's newest frame"
                                    + (beforeSegment ? ", before its current segment" : "")
                                    + " (reorder tolerance " + geometry.toleranceMicros() / 1000.0 + " ms)",
                            frame.deviceId());
                    return;
                }
                Bytes frameKey = TrackKeys.frameKey(trackKey, t);
                if (frames.get(frameKey) != null) {
                    metrics.duplicateFrame();
                    return;
                }
                frames.put(frameKey, body.joints());
                metrics.reorderedFrame();
                state = state.withNewest(t, nowMillis);
            }
        }
        state = markDue(trackKey, state, state.newestMicros() - geometry.toleranceMicros());
        trackStates.put(trackKey, state);
        tracks.put(trackKey, state.toBytes());
    }

    /**
     * Writes to the pending store every window of the track that the frames up to {@code finalMicros} (those no
     * frame can still be put before) complete: one whose nominal end is at or before it, or, but for the first window
     * of a segment, one with a frame within the snap before its nominal end. A window ends on the newest frame within
     * the snap before its nominal end if there is one (its last sample is then that frame, not an interpolation that
     * waits for the next frame), else at its nominal end. Nominal ends stay one hop apart, so ends do not drift.
     */
    private TrackState markDue(Bytes trackKey, TrackState state, long finalMicros) {
        long nominal = state.nextWindowEndMicros();
        long snap = geometry.snapMicros();
        if (nominal - snap > finalMicros) {
            return state;
        }
        long firstEnd = state.segmentStartMicros() + resampler.firstSpanMicros(state.segmentStartMicros());
        // The real clock, not the task's cached one: these stamps decompose the latency tail (see PipelineMetrics).
        long nowMillis = System.currentTimeMillis();
        while (true) {
            boolean first = nominal == firstEnd;
            long end = nominal;
            if (!first && snap > 0 && nominal - snap <= finalMicros) {
                long frame = newestFrameIn(trackKey, nominal - snap, Math.min(nominal, finalMicros));
                if (frame != NO_FRAME) {
                    end = frame;
                }
            }
            if (end == nominal && nominal > finalMicros) {
                break;
            }
            byte flags = first ? FIRST_OF_SEGMENT : 0;
            Bytes key = TrackKeys.frameKey(trackKey, end);
            metrics.windowDue(nowMillis - end / 1000);
            pendingWindows.put(key, flags);
            pending.put(key, new byte[] {flags});
            nominal += geometry.hopMicros();
        }
        return state.withNextWindowEnd(nominal);
    }

    /** Capture time of the track's newest frame in [from, to], or {@link #NO_FRAME}. */
    private long newestFrameIn(Bytes trackKey, long from, long to) {
        try (KeyValueIterator<Bytes, byte[]> it = frames.reverseRange(TrackKeys.frameKey(trackKey, from),
                TrackKeys.frameKey(trackKey, to))) {
            return it.hasNext() ? TrackKeys.trailingTime(it.next().key) : NO_FRAME;
        }
    }

    /** A device at its track limit frees its least recently seen track for the new one. */
    private void makeRoomForTrack(byte[] deviceKey) {
        NavigableMap<Bytes, TrackState> deviceTracks = tracksOf(deviceKey);
        if (deviceTracks.size() < maxTracksPerDevice) {
            return;
        }
        Bytes oldestKey = null;
        TrackState oldest = null;
        for (Map.Entry<Bytes, TrackState> entry : deviceTracks.entrySet()) {
            TrackState state = entry.getValue();
            if (oldest == null || state.lastSeenWallMillis() < oldest.lastSeenWallMillis()
                    || (state.lastSeenWallMillis() == oldest.lastSeenWallMillis()
                    && state.newestMicros() < oldest.newestMicros())) {
                oldest = state;
                oldestKey = entry.getKey();
            }
        }
        if (oldestKey != null) {
            endTrack(oldestKey, oldest);
        }
    }

    private NavigableMap<Bytes, TrackState> tracksOf(byte[] deviceKey) {
        return trackStates.subMap(TrackKeys.firstTrackKey(deviceKey), true, TrackKeys.lastTrackKey(deviceKey), true);
    }

    // ------------------------------------------------------------------------------------------------ expiry

    private void expireSilentTracks(long nowMillis) {
        loadMirrors();
        List<KeyValue<Bytes, TrackState>> silent = new ArrayList<>();
        for (Map.Entry<Bytes, TrackState> entry : trackStates.entrySet()) {
            if (nowMillis - entry.getValue().lastSeenWallMillis() >= inactivityMillis) {
                silent.add(KeyValue.pair(entry.getKey(), entry.getValue()));
            }
        }
        for (KeyValue<Bytes, TrackState> track : silent) {
            endTrack(track.key, track.value);
        }
        // A device silent as long as that has no tracks left either; its sequence memory goes too.
        List<Bytes> silentDevices = new ArrayList<>();
        for (Map.Entry<Bytes, DeviceSequence> entry : deviceSequences.entrySet()) {
            if (nowMillis - entry.getValue().lastSeenWallMillis() >= inactivityMillis) {
                silentDevices.add(entry.getKey());
            }
        }
        for (Bytes device : silentDevices) {
            deviceSequences.remove(device);
            devices.delete(device);
        }
    }

    /** Frees a track: its due windows are flushed first (they need its frames), then its frames and state go. */
    private void endTrack(Bytes trackKey, TrackState state) {
        // No frame can arrive to make the track's last windows (those within the reorder tolerance of its newest
        // frame) due any more: mark them now, while their frames are still in the store.
        markDue(trackKey, state, state.newestMicros());
        flushAll();
        deleteFrames(trackKey, TrackKeys.firstFrameKey(trackKey), TrackKeys.lastFrameKey(trackKey), false);
        trackStates.remove(trackKey);
        tracks.delete(trackKey);
        ownTracks--;
        metrics.activeTracksChanged(-1);
        metrics.trackExpired();
        byte[] key = trackKey.get();
        String deviceId = TrackKeys.deviceIdOf(key);
        TrackEnded ended = new TrackEnded(deviceId, TrackKeys.trackIdOf(trackKey), state.newestMicros());
        context.forward(new Record<Object, Object>(deviceId, ended, state.newestMicros() / 1000), updatesChild);
    }

    // ------------------------------------------------------------------------------------------------ windows

    /**
     * Forwards the results of the batches in flight that are in, then hands the inference thread the next batch of
     * pending windows (at most {@code batch.max.size}) if none is in flight. While one is, further due windows
     * gather into the next batch, so batches grow with the load (a full one is sent at once from process()). Without the inference thread, infers and forwards
     * every pending window at once.
     */
    private void flush() {
        if (!inferenceThread) {
            flushAll();
            return;
        }
        loadMirrors();
        while (oldestDone()) {
            forwardOldest();
        }
        if (inFlight.isEmpty() && !pendingWindows.isEmpty()) {
            submitNext();
        }
    }

    /**
     * Infers and forwards every pending window before returning (the batches in flight first), running the encoder on
     * this thread while it is idle: this thread waits for the results anyway.
     */
    private void flushAll() {
        loadMirrors();
        while (!inFlight.isEmpty()) {
            forwardOldest();
        }
        while (!pendingWindows.isEmpty()) {
            submitNext(true);
            forwardOldest();
        }
    }

    private boolean oldestDone() {
        return !inFlight.isEmpty() && inFlight.peek().results.isDone();
    }

    /**
     * Builds the first pending windows not in flight (in key order, so a track's windows go in order) into a free
     * batch and submits it. Callers make sure fewer than {@value #MAX_BATCHES_IN_FLIGHT} batches are in flight.
     */
    private void submitNext() {
        submitNext(false);
    }

    /**
     * @param onThisThread infer the batch on this (stream) thread before returning, when the encoder is idle (the
     *                     caller waits for the results anyway: no hand-off to the inference thread, no wake-up back)
     */
    private void submitNext(boolean onThisThread) {
        WindowBatch batch = freeBatches.pop();
        List<Map.Entry<Bytes, Byte>> due = new ArrayList<>(batch.capacity());
        List<Map.Entry<Bytes, Byte>> stale = new ArrayList<>();
        long staleBefore = shedAgeMicros > 0 ? context.currentSystemTimeMs() * 1000 - shedAgeMicros : Long.MIN_VALUE;
        for (Map.Entry<Bytes, Byte> entry : pendingWindows.entrySet()) {
            if (due.size() == batch.capacity()) {
                break;
            }
            if (inFlightWindows.contains(entry.getKey())) {
                continue;
            }
            // copies: removal may reuse tree nodes
            if (TrackKeys.trailingTime(entry.getKey()) < staleBefore) {
                stale.add(Map.entry(entry.getKey(), entry.getValue()));
            } else {
                due.add(Map.entry(entry.getKey(), entry.getValue()));
            }
        }
        for (Map.Entry<Bytes, Byte> window : stale) {
            // Over capacity: a window this old is worth less than the fresh ones behind it. It leaves exactly as an
            // inferred one does (pending entry and frames), in this transaction, without an event.
            Bytes trackKey = TrackKeys.trackKeyOf(window.getKey());
            pendingWindows.remove(window.getKey());
            pending.delete(window.getKey());
            evictAfterWindow(trackKey, TrackKeys.trailingTime(window.getKey()),
                    (window.getValue() & FIRST_OF_SEGMENT) != 0);
            metrics.windowShed();
        }
        batch.clear();
        for (Map.Entry<Bytes, Byte> window : due) {
            buildWindow(window.getKey(), batch.window(batch.add()));
        }
        long builtMillis = System.currentTimeMillis();
        for (Map.Entry<Bytes, Byte> window : due) {
            inFlightWindows.add(window.getKey());
            metrics.windowBatched(builtMillis - TrackKeys.trailingTime(window.getKey()) / 1000);
        }
        inFlight.add(new InFlight(due, batch, onThisThread
                ? CompletableFuture.completedFuture(batcher.inferOnCallerThread(batch)) : batcher.submit(batch)));
    }

    /**
     * Forwards the in-flight batch's results (waiting for them if need be) and deletes their pending entries, in this
     * task's transaction; with {@code commitOnEmit}, asks for that transaction to commit at the end of this loop
     * iteration, so the events are visible then rather than at the next commit interval.
     */
    private void forwardOldest() {
        InFlight done = inFlight.poll();
        List<WindowResult> results = InferenceBatcher.await(done.results);
        freeBatches.push(done.batch);
        long forwardedMillis = System.currentTimeMillis();
        for (int i = 0; i < done.windows.size(); i++) {
            Bytes pendingKey = done.windows.get(i).getKey();
            Bytes trackKey = TrackKeys.trackKeyOf(pendingKey);
            long end = TrackKeys.trailingTime(pendingKey);
            long start = end - geometry.spanMicros();
            String deviceId = TrackKeys.deviceIdOf(pendingKey.get());
            boolean first = (done.windows.get(i).getValue() & FIRST_OF_SEGMENT) != 0;
            InferredWindow inferred = new InferredWindow(deviceId, TrackKeys.trackIdOf(trackKey), start, end,
                    first, results.get(i));
            context.forward(new Record<Object, Object>(deviceId, inferred, end / 1000), updatesChild);
            metrics.windowForwarded(forwardedMillis - end / 1000);
            pendingWindows.remove(pendingKey);
            inFlightWindows.remove(pendingKey);
            pending.delete(pendingKey);
            evictAfterWindow(trackKey, end, first);
        }
        if (commitOnEmit && !done.windows.isEmpty()) {
            context.commit();
        }
    }

    /** Writes one window, [T][M][V][3], into a zeroed batch slot. */
    private void buildWindow(Bytes pendingKey, FloatBuffer slot) {
        Bytes trackKey = TrackKeys.trackKeyOf(pendingKey);
        long end = TrackKeys.trailingTime(pendingKey);
        load(trackKey, end, trackFrames);
        resampler.resample(trackFrames, end, bodyWindow);
        putPerson(slot, 0, bodyWindow);
        if (geometry.persons() > 1) {
            addNearestPartners(trackKey, end, slot);
        }
    }

    private void putPerson(FloatBuffer slot, int person, float[] body) {
        int perSample = geometry.joints() * 3;
        for (int k = 0; k < geometry.frames(); k++) {
            slot.put((k * geometry.persons() + person) * perSample, body, k * perSample, perSample);
        }
    }

    /** Persons 1..M-1: the device's other tracks whose centres are nearest to the track's over the window. */
    private void addNearestPartners(Bytes trackKey, long end, FloatBuffer slot) {
        byte[] deviceKey = TrackKeys.deviceKeyOf(trackKey.get());
        List<Candidate> candidates = new ArrayList<>();
        int used = 0;
        for (Bytes other : tracksOf(deviceKey).keySet()) {
            if (other.equals(trackKey)) {
                continue;
            }
            load(other, end, partnerFrames);
            if (partnerFrames.size() == 0) {
                continue;
            }
            if (partnerWindows.size() <= used) {
                partnerWindows.add(new float[geometry.bodyWindowFloats()]);
            }
            float[] window = partnerWindows.get(used);
            resampler.resample(partnerFrames, end, window);
            double distance = meanCentreDistance(bodyWindow, window);
            if (!Double.isNaN(distance)) {
                candidates.add(new Candidate(used, distance));
                used++;
            }
        }
        candidates.sort((a, b) -> Double.compare(a.distance, b.distance));
        for (int person = 1; person < geometry.persons() && person - 1 < candidates.size(); person++) {
            putPerson(slot, person, partnerWindows.get(candidates.get(person - 1).window));
        }
    }

    /** Mean distance between the two bodies' centres over the samples where both are present; NaN if none. */
    private double meanCentreDistance(float[] a, float[] b) {
        double sum = 0;
        int samples = 0;
        int perSample = geometry.joints() * 3;
        for (int k = 0; k < geometry.frames(); k++) {
            if (centre(a, k * perSample, centreA) && centre(b, k * perSample, centreB)) {
                double dx = centreA[0] - centreB[0];
                double dy = centreA[1] - centreB[1];
                double dz = centreA[2] - centreB[2];
                sum += Math.sqrt(dx * dx + dy * dy + dz * dz);
                samples++;
            }
        }
        return samples == 0 ? Double.NaN : sum / samples;
    }

    private boolean centre(float[] body, int offset, double[] out) {
        double x = 0;
        double y = 0;
        double z = 0;
        int present = 0;
        for (int joint : centreJoints) {
            int at = offset + joint * 3;
            if (body[at] != 0f || body[at + 1] != 0f || body[at + 2] != 0f) {
                x += body[at];
                y += body[at + 1];
                z += body[at + 2];
                present++;
            }
        }
        if (present == 0) {
            return false;
        }
        out[0] = x / present;
        out[1] = y / present;
        out[2] = z / present;
        return true;
    }

    /**
     * Reads the frames a window ending at {@code end} can sample: from one max gap before its start (within a segment
     * frames are at most a max gap apart, so the frame bracketing the first sample is there) to its end and the frame
     * after. Starting the scan there, not at the track's first key, skips the deleted frames a store still holds.
     */
    private void load(Bytes trackKey, long end, TrackFrames into) {
        into.clear();
        long from = end - geometry.spanMicros() - geometry.maxGapMicros() - 1;
        try (KeyValueIterator<Bytes, byte[]> it = frames.range(TrackKeys.frameKey(trackKey, from),
                TrackKeys.lastFrameKey(trackKey))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> entry = it.next();
                into.add(TrackKeys.trailingTime(entry.key), entry.value);
            }
        }
    }

    /**
     * After the window ending at {@code end}, frames before the next window's start are no longer needed, except the
     * last one before it (it brackets the next window's first sample). For multi-person models the bound is one hop
     * further back, so a partner's frames outlive its own windows long enough for its neighbours' windows (tracks of
     * one device are due within a hop of each other). After a restart, frames from the new segment's start on stay.
     */
    private void evictAfterWindow(Bytes trackKey, long end, boolean firstOfSegment) {
        TrackState state = trackStates.get(trackKey);
        if (firstOfSegment) {
            // Every window of earlier segments of the track has been flushed (pending windows go in key order, and
            // a track's keys order by window end): their frames go now, in one scan from the track's first key.
            // (the segment started one first span before this window's end: spanMicros plus at most 2 us of rounding)
            deleteFrames(trackKey, TrackKeys.firstFrameKey(trackKey),
                    TrackKeys.frameKey(trackKey, end - geometry.spanMicros() - 3), false);
        }
        // The next window's nominal end is at least one hop after this one's end; it may end up to the snap before.
        long bound = end + geometry.hopMicros() - geometry.spanMicros() - geometry.snapMicros();
        if (geometry.persons() > 1) {
            bound -= 2 * geometry.hopMicros();
        }
        if (state != null && state.segmentStartMicros() > end) {
            bound = Math.min(bound, state.segmentStartMicros());
        }
        // Frames before the previous window's bound are gone already, but for the one kept at it; scanning from a
        // little before it skips the deletions a store still holds (a RocksDB range over tombstones is slow).
        long from = bound - 2 * geometry.hopMicros() - geometry.maxGapMicros() - geometry.toleranceMicros();
        deleteFrames(trackKey, TrackKeys.frameKey(trackKey, from), TrackKeys.frameKey(trackKey, bound), true);
    }

    /** Deletes the track's frames in [from, to]; with {@code keepLast}, all but the newest of them. */
    private void deleteFrames(Bytes trackKey, Bytes from, Bytes to, boolean keepLast) {
        List<Bytes> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = frames.range(from, to)) {
            while (it.hasNext()) {
                keys.add(it.next().key);
            }
        }
        int delete = keepLast ? keys.size() - 1 : keys.size();
        for (int i = 0; i < delete; i++) {
            frames.delete(keys.get(i));
        }
    }

    private record Candidate(int window, double distance) {
    }

    /** Pending windows (key, flags) in slot order, the batch holding them, and their results to come. */
    private record InFlight(List<Map.Entry<Bytes, Byte>> windows, WindowBatch batch,
                            CompletableFuture<List<WindowResult>> results) {
    }
}
