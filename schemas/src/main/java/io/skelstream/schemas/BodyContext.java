package io.skelstream.schemas;

/**
 * Where a body sits, for error messages: its device, its index in {@code PoseFrame.bodies} and its track id.
 *
 * @param deviceId  {@code PoseFrame.device_id}
 * @param bodyIndex index in {@code PoseFrame.bodies}
 * @param trackId   {@code Body.track_id}
 */
public record BodyContext(String deviceId, int bodyIndex, long trackId) {

    /** The path of a field of this body, e.g. {@code bodies[2].joints}. */
    public String field(String name) {
        return "bodies[" + bodyIndex + "]." + name;
    }

    /** "device 'cam-1' body 2 (track 7)". */
    public String describe() {
        return "device " + quote(deviceId) + " body " + bodyIndex + " (track " + trackId + ")";
    }

    /** Quotes an untrusted string for a message: escapes control characters and cuts it at 80 characters. */
    static String quote(String s) {
        if (s == null) {
            return "(null)";
        }
        StringBuilder out = new StringBuilder("'");
        int n = Math.min(s.length(), 80);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('\'');
        if (s.length() > n) {
            out.append("... (").append(s.length()).append(" chars)");
        }
        return out.toString();
    }
}
