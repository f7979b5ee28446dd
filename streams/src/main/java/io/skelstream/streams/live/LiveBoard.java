package io.skelstream.streams.live;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.skelstream.schemas.avro.ActionEvent;
import io.skelstream.schemas.avro.Alert;
import io.skelstream.schemas.avro.AlertState;
import io.skelstream.schemas.avro.LabelScore;

/**
 * What the live page shows, held in memory: per device its current action, a bounded timeline of recent actions and
 * its active alerts; across devices the most recent alert changes. Each update returns the JSON payload of the event
 * that tells connected pages about it, and {@link #snapshot(String)} is the whole state for a page that (re)connects.
 *
 * <p>Thread-safety: every method synchronises on this board. The feed publishes each update while holding the board's
 * monitor and a client's snapshot is taken under it too, so a page sees the snapshot and then exactly the updates
 * after it, in order. All work under the monitor is small and in memory.
 */
public final class LiveBoard {

    /** Actions kept per device for the timeline (about 30 s at the default hop). */
    public static final int TIMELINE_LENGTH = 60;
    /** Alert changes kept across devices. */
    public static final int RECENT_ALERTS = 50;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, DeviceEntry> devices = new TreeMap<>();
    private final ArrayDeque<ObjectNode> recentAlerts = new ArrayDeque<>();

    /** One device's part of the board. */
    private static final class DeviceEntry {
        final String device;
        String layout;
        long lastSeenMillis;
        ObjectNode action;
        final ArrayDeque<ObjectNode> timeline = new ArrayDeque<>();
        /** Raised and not yet cleared, by rule and track. */
        final Map<String, ObjectNode> activeAlerts = new LinkedHashMap<>();

        DeviceEntry(String device) {
            this.device = device;
        }
    }

    /**
     * A pose frame of the device was seen (its layout, when known).
     *
     * @return the payload of a {@code device} event when the device is new, else null
     */
    public synchronized String poseSeen(String device, String layout, long nowMillis) {
        DeviceEntry entry = devices.get(device);
        boolean added = entry == null;
        if (added) {
            entry = new DeviceEntry(device);
            devices.put(device, entry);
        }
        entry.lastSeenMillis = nowMillis;
        if (layout != null) {
            entry.layout = layout;
        }
        return added ? write(deviceJson(entry)) : null;
    }

    /** Applies an action event; returns the payload of the {@code action} event. */
    public synchronized String action(ActionEvent event) {
        DeviceEntry entry = devices.computeIfAbsent(event.getDeviceId(), DeviceEntry::new);
        ObjectNode node = JSON.createObjectNode();
        node.put("device", event.getDeviceId());
        node.put("track", event.getTrackId());
        node.put("label", event.getLabel());
        node.put("confidence", round(event.getConfidence(), 4));
        node.put("windowStart", millis(event.getWindowStart()));
        node.put("windowEnd", millis(event.getWindowEnd()));
        node.put("emittedAt", millis(event.getEmittedAt()));
        ArrayNode topK = node.putArray("topK");
        for (LabelScore score : event.getTopK()) {
            topK.addObject().put("label", score.getLabel()).put("score", round(score.getScore(), 4));
        }
        // several tracks may share a device: the current action is the latest window's, whoever it belongs to
        if (entry.action == null || node.get("windowEnd").asLong() >= entry.action.get("windowEnd").asLong()) {
            entry.action = node;
        }
        entry.timeline.addLast(node);
        while (entry.timeline.size() > TIMELINE_LENGTH) {
            entry.timeline.removeFirst();
        }
        return write(node);
    }

    /** Applies a raised or cleared alert; returns the payload of the {@code alert} event. */
    public synchronized String alert(Alert alert) {
        DeviceEntry entry = devices.computeIfAbsent(alert.getDeviceId(), DeviceEntry::new);
        ObjectNode node = JSON.createObjectNode();
        node.put("device", alert.getDeviceId());
        node.put("rule", alert.getRuleId());
        node.put("track", alert.getTrackId());
        node.put("label", alert.getLabel());
        node.put("severity", alert.getSeverity().name().toLowerCase(java.util.Locale.ROOT));
        boolean raised = alert.getState() == AlertState.RAISED;
        node.put("state", raised ? "raised" : "cleared");
        node.put("startedAt", millis(alert.getStartedAt()));
        node.put("raisedAt", millis(alert.getRaisedAt()));
        if (alert.getClearedAt() != null) {
            node.put("clearedAt", millis(alert.getClearedAt()));
        }
        String key = alert.getRuleId() + "#" + alert.getTrackId();
        if (raised) {
            entry.activeAlerts.put(key, node);
        } else {
            entry.activeAlerts.remove(key);
        }
        recentAlerts.addLast(node);
        while (recentAlerts.size() > RECENT_ALERTS) {
            recentAlerts.removeFirst();
        }
        return write(node);
    }

    /**
     * The whole board for a page that connects or resyncs: every device's current action and active alerts, and the
     * timeline of the followed device only (all timelines of 100 devices would be megabytes for every click).
     *
     * @param followedDevice the device the page follows, or null
     * @param poseJson       the latest pose of that device, already JSON, or null
     */
    public synchronized String snapshot(String followedDevice, String poseJson) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("devices");
        for (DeviceEntry entry : devices.values()) {
            ObjectNode device = deviceJson(entry);
            device.set("action", entry.action);
            ArrayNode timeline = device.putArray("timeline");
            if (entry.device.equals(followedDevice)) {
                entry.timeline.forEach(timeline::add);
            }
            ArrayNode alerts = device.putArray("alerts");
            entry.activeAlerts.values().forEach(alerts::add);
            list.add(device);
        }
        ArrayNode alerts = root.putArray("recentAlerts");
        recentAlerts.forEach(alerts::add);
        StringBuilder out = new StringBuilder(write(root));
        if (poseJson != null) {
            // splice the pre-encoded pose in rather than parsing it back
            out.setLength(out.length() - 1);
            out.append(",\"pose\":").append(poseJson).append('}');
        }
        return out.toString();
    }

    /** Devices on the board, in id order. */
    public synchronized java.util.List<String> devices() {
        return java.util.List.copyOf(devices.keySet());
    }

    /** The label of the device's current action, or null. */
    public synchronized String currentLabel(String device) {
        DeviceEntry entry = devices.get(device);
        return entry == null || entry.action == null ? null : entry.action.get("label").asText();
    }

    /** Active alerts of a device (rule ids), for tests and diagnostics. */
    public synchronized java.util.List<String> activeAlertRules(String device) {
        DeviceEntry entry = devices.get(device);
        java.util.List<String> rules = new java.util.ArrayList<>();
        if (entry != null) {
            for (Iterator<ObjectNode> it = entry.activeAlerts.values().iterator(); it.hasNext(); ) {
                rules.add(it.next().get("rule").asText());
            }
        }
        return rules;
    }

    private static ObjectNode deviceJson(DeviceEntry entry) {
        ObjectNode node = JSON.createObjectNode();
        node.put("device", entry.device);
        node.put("layout", entry.layout);
        node.put("lastSeen", entry.lastSeenMillis);
        return node;
    }

    static long millis(Instant instant) {
        return instant == null ? 0 : instant.toEpochMilli();
    }

    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    static String write(Object node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers is always JSON", e);
        }
    }
}
