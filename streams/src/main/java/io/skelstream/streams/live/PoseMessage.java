package io.skelstream.streams.live;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import io.skelstream.schemas.BadRecordException;
import io.skelstream.schemas.SkelSerdes;
import io.skelstream.schemas.avro.Body;
import io.skelstream.schemas.avro.PoseFrame;

/**
 * A pose frame as the page draws it: {@code {"device","layout","t" (capture ms),"bodies":[{"track","joints":[x,y,z,..]}]}}
 * with coordinates in metres rounded to the millimetre (a quarter of the bytes of full floats, invisible on screen).
 */
final class PoseMessage {

    private PoseMessage() {
    }

    /**
     * Decodes a raw pose record into the page's JSON.
     *
     * @throws BadRecordException when the record is not a PoseFrame this build reads
     */
    static String encode(byte[] value) {
        PoseFrame frame = SkelSerdes.poseFrame().deserialize("live", value);
        StringBuilder out = new StringBuilder(64 + frame.getBodies().size() * 400);
        out.append("{\"device\":").append(LiveBoard.write(frame.getDeviceId()))
                .append(",\"layout\":").append(LiveBoard.write(frame.getLayout()))
                .append(",\"t\":").append(LiveBoard.millis(frame.getCaptureTime()))
                .append(",\"bodies\":[");
        boolean firstBody = true;
        for (Body body : frame.getBodies()) {
            ByteBuffer joints = body.getJoints().duplicate().order(ByteOrder.LITTLE_ENDIAN);
            if (joints.remaining() % 12 != 0) {
                continue; // not V x 3 floats: the pipeline dead-letters this frame; the page draws the rest
            }
            if (!firstBody) {
                out.append(',');
            }
            firstBody = false;
            out.append("{\"track\":").append(body.getTrackId()).append(",\"joints\":[");
            int floats = joints.remaining() / 4;
            for (int i = 0; i < floats; i++) {
                float v = joints.getFloat();
                if (i > 0) {
                    out.append(',');
                }
                appendMillimetres(out, Float.isFinite(v) ? v : 0f);
            }
            out.append("]}");
        }
        return out.append("]}").toString();
    }

    /** Writes metres with at most 3 decimals, without the cost of String.format. */
    private static void appendMillimetres(StringBuilder out, float metres) {
        long mm = Math.round(metres * 1000.0);
        if (mm < 0) {
            out.append('-');
            mm = -mm;
        }
        out.append(mm / 1000);
        long frac = mm % 1000;
        if (frac != 0) {
            out.append('.');
            if (frac < 100) {
                out.append('0');
            }
            if (frac < 10) {
                out.append('0');
            }
            while (frac % 10 == 0) {
                frac /= 10;
            }
            out.append(frac);
        }
    }
}
