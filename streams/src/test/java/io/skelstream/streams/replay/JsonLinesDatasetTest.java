package io.skelstream.streams.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesDatasetTest {

    private static final String TWO_JOINT_FRAME = "[[[1,2,3],[4,5,6]]]";

    @TempDir
    Path dir;

    /** Layouts of these tests: "two" has 2 joints, "three" has 3. */
    private final JsonLinesDataset reader = new JsonLinesDataset(name -> switch (name) {
        case "two" -> java.util.OptionalInt.of(2);
        case "three" -> java.util.OptionalInt.of(3);
        default -> java.util.OptionalInt.empty();
    });

    @Test
    void shouldReadPlainAndGzipFilesAlike() throws IOException {
        String text = "{\"id\":\"a\",\"label\":\"wave\",\"layout\":\"two\",\"fps\":30,\"frames\":[" + TWO_JOINT_FRAME + ","
                + TWO_JOINT_FRAME + "]}\n\n{\"id\":\"b\",\"layout\":\"two\",\"fps\":15.5,\"frames\":[" + TWO_JOINT_FRAME + "]}\n";
        Path plain = dir.resolve("data.jsonl");
        Files.writeString(plain, text);
        Path gzip = dir.resolve("data.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzip))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }

        for (Path file : List.of(plain, gzip)) {
            List<PoseSequence> sequences = reader.read(file);
            assertEquals(2, sequences.size());
            PoseSequence a = sequences.get(0);
            assertEquals("wave", a.label());
            assertEquals(30.0, a.fps());
            assertEquals(2, a.frames());
            assertEquals(1, a.persons());
            assertEquals(2, a.joints());
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6}, a.coordinates());
            assertNull(sequences.get(1).label());
            assertEquals(15.5, sequences.get(1).fps());
        }
    }

    @Test
    void shouldPadFramesWithFewerPersonsWithZeros() throws IOException {
        Path file = dir.resolve("ragged.jsonl");
        Files.writeString(file, "{\"id\":\"r\",\"layout\":\"two\",\"fps\":30,\"frames\":[[], [[[1,1,1],[2,2,2]],"
                + "[[3,3,3],[4,4,4]]]]}\n");

        PoseSequence sequence = reader.read(file).get(0);

        assertEquals(2, sequence.persons());
        assertEquals(false, sequence.personPresent(0, 0));
        assertEquals(true, sequence.personPresent(1, 1));
        assertEquals(4f, sequence.coordinates()[sequence.offset(1, 1, 1)]);
    }

    @Test
    void shouldNameFileLineAndProblemOfBadInput() throws IOException {
        assertProblem("{\"id\":\"x\",\"layout\":\"two\",\"fps\":30,\"frames\":[" + TWO_JOINT_FRAME + "]}\n{not json",
                ":2: not valid JSON");
        assertProblem("{\"id\":\"x\",\"layout\":\"two\",\"fps\":30}", ":1: missing key 'frames'");
        assertProblem("{\"id\":\"x\",\"layout\":\"nine\",\"fps\":30,\"frames\":[" + TWO_JOINT_FRAME + "]}",
                "unknown layout 'nine'");
        assertProblem("{\"id\":\"x\",\"layout\":\"three\",\"fps\":30,\"frames\":[" + TWO_JOINT_FRAME + "]}",
                "frame 0 person 0 has 2 joints, layout three has 3");
        assertProblem("{\"id\":\"x\",\"layout\":\"two\",\"fps\":-1,\"frames\":[" + TWO_JOINT_FRAME + "]}",
                "'fps' must be a positive number");
        assertProblem("{\"id\":\"x\",\"layout\":\"two\",\"fps\":30,\"frames\":[[[[1,2,null],[4,5,6]]]]}",
                "frame 0 person 0 joint 0 is not a finite number");
        assertProblem("{\"id\":\"x\",\"layout\":\"two\",\"fps\":30,\"frames\":[[[[1,2],[4,5,6]]]]}",
                "frame 0 person 0 joint 0 must be [x, y, z]");
        assertProblem("\n\n", "no sequences in the file");
        DatasetFormatException missing = assertThrows(DatasetFormatException.class,
                () -> reader.read(dir.resolve("nowhere.jsonl")));
        assertTrue(missing.getMessage().endsWith("nowhere.jsonl: file not found"), missing.getMessage());
    }

    private void assertProblem(String content, String expected) throws IOException {
        Path file = Files.createTempFile(dir, "bad", ".jsonl");
        Files.writeString(file, content);
        DatasetFormatException error = assertThrows(DatasetFormatException.class, () -> reader.read(file));
        assertTrue(error.getMessage().startsWith(file.toString()), error.getMessage());
        assertTrue(error.getMessage().contains(expected), error.getMessage() + " should contain " + expected);
    }
}
