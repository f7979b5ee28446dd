package io.skelstream.schemas;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The skeleton layouts of {@code schemas/layouts.json}, the one file both Java and Python read. Loading
 * checks every rule (lengths agree, one root, no cycles, indices in range, mirror is an involution, names
 * unique, ntu25 present) and fails with a {@link LayoutFileException} naming the file, layout and field.
 * Immutable and thread-safe.
 */
public final class SkeletonLayouts {
    /** Classpath copy of {@code schemas/layouts.json} (the module's pom puts it there). */
    public static final String RESOURCE = "/io/skelstream/schemas/layouts.json";
    /** The reference layout every {@code ntu25_index} points into. */
    public static final String NTU25 = "ntu25";
    /** The file format this reader understands. */
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private static volatile SkeletonLayouts bundled;

    private final int version;
    private final Map<String, SkeletonLayout> layouts;

    private SkeletonLayouts(int version, Map<String, SkeletonLayout> layouts) {
        this.version = version;
        this.layouts = layouts;
    }

    /** The layouts shipped in this jar (loaded once). */
    public static SkeletonLayouts bundled() {
        SkeletonLayouts result = bundled;
        if (result == null) {
            try (InputStream in = SkeletonLayouts.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new LayoutFileException("classpath resource " + RESOURCE + " is missing");
                }
                result = parse(in, "classpath:" + RESOURCE);
            } catch (IOException e) {
                throw new LayoutFileException("cannot read classpath resource " + RESOURCE + ": " + e.getMessage(), e);
            }
            bundled = result;
        }
        return result;
    }

    /** Reads a layouts file from disk. */
    public static SkeletonLayouts read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new LayoutFileException("cannot read layouts file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses and checks a layouts document; {@code source} names it in error messages. */
    public static SkeletonLayouts parse(InputStream in, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(in);
        } catch (JsonProcessingException e) {
            throw new LayoutFileException(source + ": not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr()), e);
        } catch (IOException e) {
            throw new LayoutFileException(source + ": cannot read: " + e.getMessage(), e);
        }
        return new Checker(source).check(root);
    }

    /** Version of the file format ({@code "version"}). */
    public int version() {
        return version;
    }

    /** Layout names in file order. */
    public Set<String> names() {
        return layouts.keySet();
    }

    /** All layouts in file order. */
    public List<SkeletonLayout> all() {
        return List.copyOf(layouts.values());
    }

    public Optional<SkeletonLayout> find(String name) {
        return Optional.ofNullable(name == null ? null : layouts.get(name));
    }

    /** @throws IllegalArgumentException naming the known layouts when there is no such layout */
    public SkeletonLayout get(String name) {
        SkeletonLayout layout = name == null ? null : layouts.get(name);
        if (layout == null) {
            throw new IllegalArgumentException("unknown skeleton layout '" + name + "' (known: "
                    + String.join(", ", layouts.keySet()) + ")");
        }
        return layout;
    }

    /** The joint mapping from one layout to another, by name (see {@link JointMapping}). */
    public JointMapping mapping(String from, String to) {
        return JointMapping.between(get(from), get(to));
    }

    /** Checks one parsed document; every error names source, layout and field. */
    private static final class Checker {
        private final String source;

        Checker(String source) {
            this.source = source;
        }

        SkeletonLayouts check(JsonNode root) {
            if (root == null || !root.isObject()) {
                throw fail("", "the document must be a JSON object");
            }
            JsonNode versionNode = root.get("version");
            if (versionNode == null || !versionNode.isInt()) {
                throw fail("version", "must be an integer");
            }
            if (versionNode.intValue() != FORMAT_VERSION) {
                throw fail("version", "is " + versionNode.intValue() + "; this reader understands " + FORMAT_VERSION);
            }
            JsonNode layoutsNode = root.get("layouts");
            if (layoutsNode == null || !layoutsNode.isObject() || layoutsNode.isEmpty()) {
                throw fail("layouts", "must be a non-empty object of layouts by name");
            }
            JsonNode ntu = layoutsNode.get(NTU25);
            if (ntu == null) {
                throw fail("layouts", "has no '" + NTU25 + "' layout, which every ntu25_index refers to");
            }
            int ntuJoints = ntu.path("joints").size();
            Map<String, SkeletonLayout> result = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = layoutsNode.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> entry = it.next();
                result.put(entry.getKey(), layout(entry.getKey(), entry.getValue(), ntuJoints));
            }
            int[] ntuSelf = result.get(NTU25).ntu25Indices();
            for (int j = 0; j < ntuSelf.length; j++) {
                if (ntuSelf[j] != j) {
                    throw fail("layouts." + NTU25 + ".ntu25_index[" + j + "]", "must be " + j + " (the identity)");
                }
            }
            return new SkeletonLayouts(FORMAT_VERSION, java.util.Collections.unmodifiableMap(result));
        }

        private SkeletonLayout layout(String name, JsonNode node, int ntuJoints) {
            String at = "layouts." + name;
            if (name.isEmpty() || !node.isObject()) {
                throw fail(at, "must be an object under a non-empty name");
            }
            JsonNode description = node.get("description");
            if (description != null && !description.isTextual()) {
                throw fail(at + ".description", "must be a string");
            }
            JsonNode jointsNode = node.get("joints");
            if (jointsNode == null || !jointsNode.isArray() || jointsNode.isEmpty()) {
                throw fail(at + ".joints", "must be a non-empty array of joint names");
            }
            List<String> joints = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (int j = 0; j < jointsNode.size(); j++) {
                JsonNode n = jointsNode.get(j);
                if (!n.isTextual() || n.textValue().isEmpty()) {
                    throw fail(at + ".joints[" + j + "]", "must be a non-empty string");
                }
                if (!seen.add(n.textValue())) {
                    throw fail(at + ".joints[" + j + "]", "'" + n.textValue() + "' appears twice");
                }
                joints.add(n.textValue());
            }
            int v = joints.size();
            int[] parents = ints(at + ".parents", node.get("parents"), v, false, -1, v);
            int[] mirror = ints(at + ".mirror", node.get("mirror"), v, false, 0, v);
            int[] ntu = ints(at + ".ntu25_index", node.get("ntu25_index"), v, true, 0, ntuJoints);
            JsonNode centreNode = node.get("centre");
            if (centreNode == null || !centreNode.isArray() || centreNode.isEmpty()) {
                throw fail(at + ".centre", "must be a non-empty array of joint indices");
            }
            int[] centre = ints(at + ".centre", centreNode, centreNode.size(), false, 0, v);
            checkTree(at, parents);
            for (int j = 0; j < v; j++) {
                if (mirror[mirror[j]] != j) {
                    throw fail(at + ".mirror[" + j + "]", "is " + mirror[j] + " but mirror[" + mirror[j] + "] is "
                            + mirror[mirror[j]] + ", not " + j + " (mirror must be its own inverse)");
                }
            }
            unique(at + ".centre", centre);
            unique(at + ".ntu25_index", ntu);
            return new SkeletonLayout(name, description == null ? "" : description.textValue(), joints, parents,
                    centre, mirror, ntu);
        }

        private void checkTree(String at, int[] parents) {
            int roots = 0;
            for (int j = 0; j < parents.length; j++) {
                if (parents[j] == j) {
                    throw fail(at + ".parents[" + j + "]", "a joint cannot be its own parent");
                }
                if (parents[j] == -1) {
                    roots++;
                }
            }
            if (roots != 1) {
                throw fail(at + ".parents", "must have exactly one root (-1), found " + roots);
            }
            for (int j = 0; j < parents.length; j++) {
                int k = j;
                for (int steps = 0; parents[k] != -1; steps++) {
                    if (steps > parents.length) {
                        throw fail(at + ".parents[" + j + "]", "joint " + j + " is on a cycle, not under the root");
                    }
                    k = parents[k];
                }
            }
        }

        /** An int array of the given length, each in [min, max) (or null when allowed, stored as -1). */
        private int[] ints(String at, JsonNode node, int length, boolean nullable, int min, int max) {
            if (node == null || !node.isArray()) {
                throw fail(at, "must be an array");
            }
            if (node.size() != length) {
                throw fail(at, "has " + node.size() + " entries, expected " + length + " (one per joint)");
            }
            int[] out = new int[length];
            for (int i = 0; i < length; i++) {
                JsonNode n = node.get(i);
                if (nullable && n.isNull()) {
                    out[i] = SkeletonLayout.NO_JOINT;
                    continue;
                }
                if (!n.isInt()) {
                    throw fail(at + "[" + i + "]", "must be an integer" + (nullable ? " or null" : ""));
                }
                if (n.intValue() < min || n.intValue() >= max) {
                    throw fail(at + "[" + i + "]", "is " + n.intValue() + ", outside [" + min + ", " + max + ")");
                }
                out[i] = n.intValue();
            }
            return out;
        }

        private void unique(String at, int[] values) {
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < values.length; i++) {
                if (values[i] != SkeletonLayout.NO_JOINT && !seen.add(values[i])) {
                    throw fail(at + "[" + i + "]", "repeats index " + values[i]);
                }
            }
        }

        private LayoutFileException fail(String field, String problem) {
            return new LayoutFileException(source + ": " + (field.isEmpty() ? "" : field + " ") + problem);
        }
    }
}
