package io.skelstream.streams.replay;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the generic dataset format (DESIGN contract 4): one JSON object per line, one sequence per object,
 * plain or gzip (detected from the first two bytes, not the file name).
 *
 * <pre>
 * {"id": "s07_take3", "label": "wave", "layout": "kinect_v1_20", "fps": 30,
 *  "frames": [ [ [[x,y,z], ... V joints], ... M persons ], ... T frames ]}
 * </pre>
 *
 * Same rules as the trainer's reader: {@code id}, {@code layout}, {@code fps}, {@code frames} required; blank lines
 * allowed; frames may list fewer persons than others (the missing ones are zeros); every value finite.
 */
public final class JsonLinesDataset {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;

    /** Joint count of a layout by name, or empty for an unknown layout. */
    private final Function<String, OptionalInt> jointsOfLayout;

    /**
     * @param jointsOfLayout V of each known layout; sequences in an unknown layout or with another joint count are
     *                       rejected with the line that holds them
     */
    public JsonLinesDataset(Function<String, OptionalInt> jointsOfLayout) {
        this.jointsOfLayout = jointsOfLayout;
    }

    /** Reads every sequence of a file. */
    public List<PoseSequence> read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new DatasetFormatException(file.toString(), 0, "file not found");
        } catch (IOException e) {
            throw new DatasetFormatException(file.toString(), 0, "cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads every sequence of a stream (plain or gzip); {@code source} names it in errors. */
    public List<PoseSequence> read(InputStream raw, String source) {
        List<PoseSequence> sequences = new ArrayList<>();
        long lineNumber = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(decompressed(raw), StandardCharsets.UTF_8))) {
            String line;
            while (true) {
                try {
                    line = reader.readLine();
                } catch (IOException e) {
                    throw new DatasetFormatException(source, lineNumber + 1, "unreadable (truncated or not text): " + e.getMessage(), e);
                }
                if (line == null) {
                    break;
                }
                lineNumber++;
                if (!line.isBlank()) {
                    sequences.add(parseLine(line, source, lineNumber));
                }
            }
        } catch (IOException e) {
            throw new DatasetFormatException(source, lineNumber, "cannot read: " + e.getMessage(), e);
        }
        if (sequences.isEmpty()) {
            throw new DatasetFormatException(source, 0, "no sequences in the file");
        }
        return sequences;
    }

    private static InputStream decompressed(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        return first == GZIP_MAGIC_0 && second == GZIP_MAGIC_1 ? new GZIPInputStream(in, 1 << 16) : in;
    }

    PoseSequence parseLine(String line, String source, long lineNumber) {
        JsonNode object;
        try {
            object = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new DatasetFormatException(source, lineNumber, "not valid JSON: " + e.getOriginalMessage());
        }
        if (object == null || !object.isObject()) {
            throw new DatasetFormatException(source, lineNumber, "expected a JSON object per line");
        }
        for (String key : List.of("id", "layout", "fps", "frames")) {
            if (!object.hasNonNull(key)) {
                throw new DatasetFormatException(source, lineNumber, "missing key '" + key + "'");
            }
        }
        String id = object.get("id").asText();
        if (!object.get("layout").isTextual()) {
            throw new DatasetFormatException(source, lineNumber, "'layout' must be a string");
        }
        String layout = object.get("layout").asText();
        OptionalInt layoutJoints = jointsOfLayout.apply(layout);
        if (layoutJoints.isEmpty()) {
            throw new DatasetFormatException(source, lineNumber, "sequence " + id + ": unknown layout '" + layout + "'");
        }
        JsonNode fpsNode = object.get("fps");
        double fps = fpsNode.isNumber() ? fpsNode.asDouble() : Double.NaN;
        if (!(fps > 0) || Double.isInfinite(fps)) {
            throw new DatasetFormatException(source, lineNumber, "sequence " + id + ": 'fps' must be a positive number, got " + fpsNode);
        }
        JsonNode labelNode = object.get("label");
        String label = labelNode == null || labelNode.isNull() ? null : labelNode.asText();
        float[] coordinates = frames(object.get("frames"), layoutJoints.getAsInt(), layout, id, source, lineNumber);
        JsonNode framesNode = object.get("frames");
        int frames = framesNode.size();
        int joints = layoutJoints.getAsInt();
        int persons = coordinates.length / (frames * joints * 3);
        return new PoseSequence(id, label, layout, fps, frames, persons, joints, coordinates);
    }

    /** Nested lists T x M x V x 3 -> flat [T][M][V][3], persons padded with zeros to the largest M. */
    private static float[] frames(JsonNode frames, int joints, String layout, String id, String source, long line) {
        if (!frames.isArray() || frames.isEmpty()) {
            throw new DatasetFormatException(source, line, "sequence " + id + ": 'frames' must be a non-empty list of frames");
        }
        int persons = 0;
        for (int t = 0; t < frames.size(); t++) {
            JsonNode frame = frames.get(t);
            if (!frame.isArray()) {
                throw new DatasetFormatException(source, line, "sequence " + id + ": frame " + t + " must be a list of persons");
            }
            persons = Math.max(persons, frame.size());
        }
        if (persons == 0) {
            throw new DatasetFormatException(source, line, "sequence " + id + ": no frame has any person");
        }
        float[] out = new float[frames.size() * persons * joints * 3];
        for (int t = 0; t < frames.size(); t++) {
            JsonNode frame = frames.get(t);
            for (int m = 0; m < frame.size(); m++) {
                JsonNode person = frame.get(m);
                if (!person.isArray() || person.size() != joints) {
                    throw new DatasetFormatException(source, line, "sequence " + id + ": frame " + t + " person " + m
                            + " has " + (person.isArray() ? person.size() : "no list of") + " joints, layout " + layout
                            + " has " + joints);
                }
                for (int v = 0; v < joints; v++) {
                    JsonNode joint = person.get(v);
                    if (!joint.isArray() || joint.size() != 3) {
                        throw new DatasetFormatException(source, line, "sequence " + id + ": frame " + t + " person " + m
                                + " joint " + v + " must be [x, y, z]");
                    }
                    int base = ((t * persons + m) * joints + v) * 3;
                    for (int c = 0; c < 3; c++) {
                        JsonNode value = joint.get(c);
                        float f = value.isNumber() ? value.floatValue() : Float.NaN;
                        if (!Float.isFinite(f)) {
                            throw new DatasetFormatException(source, line, "sequence " + id + ": frame " + t + " person "
                                    + m + " joint " + v + " is not a finite number: " + value);
                        }
                        out[base + c] = f;
                    }
                }
            }
        }
        return out;
    }
}
