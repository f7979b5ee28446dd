package io.skelstream.schemas;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks schemas/layouts.json itself (the file Python reads too) and the reader's rejection of broken files. */
class LayoutsFileTest {
    /** The module's own file on disk (tests run with the module as working directory). */
    private static final Path SOURCE_FILE = Path.of("layouts.json");
    private static final SkeletonLayouts LAYOUTS = SkeletonLayouts.read(SOURCE_FILE);

    @Test
    void shouldShipTheSameFileOnTheClasspath() {
        assertEquals(LAYOUTS.all(), SkeletonLayouts.bundled().all());
    }

    @Test
    void shouldHaveTheFiveContractLayoutsWithTheirJointCounts() {
        Map<String, Integer> expected = Map.of("ntu25", 25, "kinect_v1_20", 20, "h36m17", 17, "coco17", 17,
                "mediapipe33", 33);
        assertEquals(expected.keySet(), LAYOUTS.names());
        expected.forEach((name, v) -> assertEquals(v, LAYOUTS.get(name).jointCount(), name));
    }

    @Test
    void shouldFormOneTreePerLayout() {
        for (SkeletonLayout layout : LAYOUTS.all()) {
            int roots = 0;
            for (int j = 0; j < layout.jointCount(); j++) {
                int p = layout.parent(j);
                assertTrue(p >= -1 && p < layout.jointCount() && p != j, layout + " parent of " + j);
                roots += p == -1 ? 1 : 0;
                // every joint reaches the root within V steps: no cycles
                int k = j;
                for (int steps = 0; k != layout.root(); steps++) {
                    assertTrue(steps < layout.jointCount(), layout + " joint " + j + " is on a cycle");
                    k = layout.parent(k);
                }
            }
            assertEquals(1, roots, layout + " roots");
            assertTrue(layout.description().length() > 20, layout + " has a description");
        }
    }

    @Test
    void shouldMirrorLeftAndRightConsistently() {
        for (SkeletonLayout layout : LAYOUTS.all()) {
            for (int j = 0; j < layout.jointCount(); j++) {
                int m = layout.mirror(j);
                assertEquals(j, layout.mirror(m), layout + " mirror is an involution at " + j);
                String name = layout.jointName(j).toLowerCase();
                boolean sided = name.contains("left") || name.contains("right")
                        || name.matches("^[lr][a-z].*") && Character.isUpperCase(layout.jointName(j).charAt(1));
                assertEquals(sided, m != j, layout + " joint " + layout.jointName(j) + " sidedness vs mirror");
                // the bone tree is symmetric: the mirror of my parent is my mirror's parent
                if (layout.parent(j) >= 0) {
                    assertEquals(layout.mirror(layout.parent(j)), layout.parent(m), layout + " bone of " + j);
                }
            }
        }
    }

    @Test
    void shouldMapIntoNtu25WithIndicesInRangeAndWithoutRepeats() {
        int ntuJoints = LAYOUTS.get("ntu25").jointCount();
        SkeletonLayout ntu = LAYOUTS.get("ntu25");
        for (SkeletonLayout layout : LAYOUTS.all()) {
            Set<Integer> seen = new HashSet<>();
            for (int j = 0; j < layout.jointCount(); j++) {
                int m = layout.ntu25Index(j);
                if (m == SkeletonLayout.NO_JOINT) {
                    continue;
                }
                assertTrue(m >= 0 && m < ntuJoints, layout + " ntu25_index[" + j + "]");
                assertTrue(seen.add(m), layout + " maps two joints onto ntu25 joint " + m);
                // mapping preserves sides: my mirror maps to the mirror of my ntu25 joint
                assertEquals(ntu.mirror(m), layout.ntu25Index(layout.mirror(j)), layout + " side of " + j);
            }
            for (int c : layout.centre()) {
                assertTrue(c >= 0 && c < layout.jointCount(), layout + " centre");
            }
        }
        for (int j = 0; j < ntuJoints; j++) {
            assertEquals(j, ntu.ntu25Index(j));
        }
    }

    @Test
    void shouldMapSameNamedJointsOfDifferentLayoutsToTheSameNtu25Joint() {
        Map<String, Integer> byName = new HashMap<>();
        Map<String, String> from = new HashMap<>();
        for (SkeletonLayout layout : LAYOUTS.all()) {
            for (int j = 0; j < layout.jointCount(); j++) {
                String name = layout.jointName(j);
                Integer before = byName.putIfAbsent(name, layout.ntu25Index(j));
                if (before != null) {
                    assertEquals(before, layout.ntu25Index(j), name + " in " + layout + " vs " + from.get(name));
                }
                from.putIfAbsent(name, layout.name());
            }
        }
        // the check above is not vacuous: many names are shared (ShoulderLeft, left_hip, Head, ...)
        assertTrue(from.size() < LAYOUTS.all().stream().mapToInt(SkeletonLayout::jointCount).sum() - 30);
    }

    @Test
    void shouldKeepTheNtu25OrderOfNtuRgbD() {
        List<String> expected = List.of("SpineBase", "SpineMid", "Neck", "Head", "ShoulderLeft", "ElbowLeft",
                "WristLeft", "HandLeft", "ShoulderRight", "ElbowRight", "WristRight", "HandRight", "HipLeft",
                "KneeLeft", "AnkleLeft", "FootLeft", "HipRight", "KneeRight", "AnkleRight", "FootRight",
                "SpineShoulder", "HandTipLeft", "ThumbLeft", "HandTipRight", "ThumbRight");
        assertEquals(expected, LAYOUTS.get("ntu25").jointNames());
        assertEquals(1, LAYOUTS.get("ntu25").centre()[0]);
    }

    // ---- the reader rejects broken files, naming file, layout and field ----

    private static String minimal(String ntuBody) {
        return "{\"version\": 1, \"layouts\": {\"ntu25\": " + ntuBody + "}}";
    }

    private static LayoutFileException rejects(String json) {
        return assertThrows(LayoutFileException.class, () -> SkeletonLayouts.parse(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json"));
    }

    private static final String GOOD = "{\"joints\": [\"a\", \"b\", \"c\"], \"parents\": [-1, 0, 0], \"centre\": [0],"
            + " \"mirror\": [0, 2, 1], \"ntu25_index\": [0, 1, 2]}";

    @Test
    void shouldParseAMinimalValidFile() {
        SkeletonLayouts parsed = SkeletonLayouts.parse(new ByteArrayInputStream(minimal(GOOD)
                .getBytes(StandardCharsets.UTF_8)), "test.json");
        assertEquals(3, parsed.get("ntu25").jointCount());
    }

    @Test
    void shouldRejectBrokenFilesWithTheFieldNamed() {
        Map<String, String> cases = Map.of(
                GOOD.replace("[-1, 0, 0]", "[-1, 0, 5]"), "layouts.ntu25.parents[2] is 5, outside [-1, 3)",
                GOOD.replace("[-1, 0, 0]", "[-1, -1, 0]"), "layouts.ntu25.parents must have exactly one root (-1), found 2",
                GOOD.replace("[-1, 0, 0]", "[-1, 2, 1]"), "layouts.ntu25.parents[1] joint 1 is on a cycle",
                GOOD.replace("[0, 2, 1]", "[1, 2, 0]"), "layouts.ntu25.mirror[0]",
                GOOD.replace("[\"a\", \"b\", \"c\"]", "[\"a\", \"b\", \"a\"]"), "layouts.ntu25.joints[2] 'a' appears twice",
                GOOD.replace("[0, 1, 2]", "[0, 1]"), "layouts.ntu25.ntu25_index has 2 entries, expected 3",
                GOOD.replace("[0, 1, 2]", "[0, 2, 1]"), "layouts.ntu25.ntu25_index[1] must be 1 (the identity)",
                GOOD.replace("\"centre\": [0]", "\"centre\": []"), "layouts.ntu25.centre must be a non-empty array");
        cases.forEach((body, message) -> {
            LayoutFileException e = rejects(minimal(body));
            assertTrue(e.getMessage().startsWith("test.json: ") && e.getMessage().contains(message),
                    "expected '" + message + "' in: " + e.getMessage());
        });
    }

    @Test
    void shouldRejectAMapIndexBeyondNtu25() {
        String other = GOOD.replace("[0, 1, 2]", "[0, null, 3]");
        LayoutFileException e = rejects("{\"version\": 1, \"layouts\": {\"ntu25\": " + GOOD + ", \"x\": " + other + "}}");
        assertTrue(e.getMessage().contains("layouts.x.ntu25_index[2] is 3, outside [0, 3)"), e.getMessage());
    }

    @Test
    void shouldRejectBadJsonWithTheLineAndAnUnknownVersion() {
        LayoutFileException json = rejects("{\"version\": 1,\n \"layouts\": {,}}");
        assertTrue(json.getMessage().contains("line 2"), json.getMessage());
        assertTrue(rejects("{\"version\": 2, \"layouts\": {}}").getMessage().contains("version is 2"));
        assertTrue(rejects("{\"version\": 1, \"layouts\": {\"coco17\": " + GOOD + "}}").getMessage()
                .contains("no 'ntu25' layout"));
        assertTrue(rejects("{\"version\": 1, \"version\": 1}").getMessage().contains("Duplicate field"));
    }

    @Test
    void shouldNameTheMissingFileWhenReadingFromDisk(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path missing = dir.resolve("nope.json");
        LayoutFileException e = assertThrows(LayoutFileException.class, () -> SkeletonLayouts.read(missing));
        assertTrue(e.getMessage().contains(missing.toString()));
        Path copy = dir.resolve("layouts.json");
        Files.copy(SOURCE_FILE, copy);
        assertNotEquals(0, SkeletonLayouts.read(copy).names().size());
    }
}
