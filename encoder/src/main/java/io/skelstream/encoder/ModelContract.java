package io.skelstream.encoder;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Contract 1 of DESIGN.md, checked against a loaded session: the {@code skelstream.*} metadata, input {@code joints}
 * float32 [batch, T, M, V, 3] with only batch dynamic, outputs {@code logits} [batch, K] and {@code embedding}
 * [batch, D], and K equal to the number of labels. Every refusal says what is wrong and in which model.
 */
final class ModelContract {
    static final int VERSION = 1;

    static final String INPUT = "joints";
    static final String LOGITS = "logits";
    static final String EMBEDDING = "embedding";

    static final String PREFIX = "skelstream.";
    static final String CONTRACT = PREFIX + "contract";
    static final String LAYOUT = PREFIX + "layout";
    static final String FRAMES = PREFIX + "frames";
    static final String PERSONS = PREFIX + "persons";
    static final String FPS = PREFIX + "fps";
    static final String LABELS = PREFIX + "labels";
    static final String OBJECTIVE = PREFIX + "objective";
    static final String DATASET = PREFIX + "dataset";
    static final String METRICS = PREFIX + "metrics";
    static final String CREATED = PREFIX + "created";
    static final String TRAINER_VERSION = PREFIX + "trainer_version";
    /** Optional: a display name; the file name is used without it. */
    static final String NAME = PREFIX + "name";
    /** Optional: V; checked against the input shape when present. */
    static final String JOINTS = PREFIX + "joints";

    /** Keys every contract-1 model carries (DESIGN.md, contract 1). */
    static final List<String> REQUIRED_KEYS = List.of(
            CONTRACT, LAYOUT, FRAMES, PERSONS, FPS, LABELS, OBJECTIVE, DATASET, METRICS, CREATED, TRAINER_VERSION);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String where;
    private final Map<String, String> metadata;

    private ModelContract(String where, Map<String, String> metadata) {
        this.where = where;
        this.metadata = metadata;
    }

    /**
     * Reads and checks the model behind {@code session}.
     *
     * @param source where it came from, for messages and the default name
     * @param sha256 hex SHA-256 of the file bytes
     * @throws ModelContractException naming the model and exactly what breaks the contract
     */
    static ModelDescription describe(OrtSession session, ModelSource source, String sha256) {
        Map<String, String> metadata;
        Map<String, NodeInfo> inputs;
        Map<String, NodeInfo> outputs;
        try {
            metadata = session.getMetadata().getCustomMetadata();
            inputs = session.getInputInfo();
            outputs = session.getOutputInfo();
        } catch (OrtException e) {
            throw new ModelContractException("model " + source + ": cannot read its metadata or signature: "
                    + e.getMessage(), e);
        }
        String name = metadata.getOrDefault(NAME, source.fileStem());
        return new ModelContract("model '" + name + "' (" + source + ")", metadata)
                .check(name, inputs, outputs, sha256);
    }

    private ModelDescription check(String name, Map<String, NodeInfo> inputs, Map<String, NodeInfo> outputs,
                                   String sha256) {
        checkContractVersion();
        List<String> missing = REQUIRED_KEYS.stream().filter(key -> !metadata.containsKey(key)).toList();
        if (!missing.isEmpty()) {
            throw refuse("metadata lacks " + String.join(", ", missing) + " (contract 1 requires "
                    + String.join(", ", REQUIRED_KEYS) + ")");
        }
        int frames = positiveInt(FRAMES);
        int persons = positiveInt(PERSONS);
        double fps = positiveNumber(FPS);
        List<String> labels = labels();
        checkJsonObject(METRICS);

        long[] joints = inputShape(inputs);
        requireDim(joints, 1, "T", frames, FRAMES);
        requireDim(joints, 2, "M", persons, PERSONS);
        if (joints[3] < 1) {
            throw refuse("input '" + INPUT + "' dimension 3 (V) is dynamic; contract 1 fixes every dimension but "
                    + "batch");
        }
        int jointCount = (int) joints[3];
        if (metadata.containsKey(JOINTS)) {
            requireDim(joints, 3, "V", positiveInt(JOINTS), JOINTS);
        }
        if (joints[4] != ModelDescription.COORDINATES) {
            throw refuse("input '" + INPUT + "' dimension 4 is " + dim(joints[4]) + "; contract 1 expects 3 (x, y, z)");
        }

        int labelCount = outputWidth(outputs, LOGITS, "K");
        int embeddingDim = outputWidth(outputs, EMBEDDING, "D");
        if (labelCount != labels.size()) {
            throw refuse(LABELS + " has " + labels.size() + " names but output '" + LOGITS + "' has K = " + labelCount);
        }
        return new ModelDescription(name, VERSION, metadata.get(LAYOUT), frames, persons, jointCount, fps, labels,
                embeddingDim, metadata.get(OBJECTIVE), metadata.get(DATASET), metadata.get(METRICS),
                metadata.get(CREATED), metadata.get(TRAINER_VERSION), sha256, metadata);
    }

    private void checkContractVersion() {
        String contract = metadata.get(CONTRACT);
        if (contract == null) {
            throw refuse("metadata has no " + CONTRACT + ": not a SkelStream export (this encoder knows contract "
                    + VERSION + ")");
        }
        if (!contract.trim().equals(Integer.toString(VERSION))) {
            throw refuse(CONTRACT + " is '" + contract + "', a contract this encoder does not know (it knows "
                    + VERSION + ")");
        }
    }

    private int positiveInt(String key) {
        String text = metadata.get(key).trim();
        try {
            int value = Integer.parseInt(text);
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw refuse(key + " is '" + text + "'; expected a positive integer");
    }

    private double positiveNumber(String key) {
        String text = metadata.get(key).trim();
        try {
            double value = Double.parseDouble(text);
            if (value > 0 && Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw refuse(key + " is '" + text + "'; expected a positive number");
    }

    private List<String> labels() {
        JsonNode node = parseJson(LABELS);
        if (!node.isArray() || node.isEmpty()) {
            throw refuse(LABELS + " is not a non-empty JSON array of names: " + abbreviate(metadata.get(LABELS)));
        }
        List<String> labels = new ArrayList<>(node.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode label = node.get(i);
            if (!label.isTextual() || label.asText().isBlank()) {
                throw refuse(LABELS + " entry " + i + " is " + label + "; expected a non-empty string");
            }
            if (!seen.add(label.asText())) {
                throw refuse(LABELS + " names '" + label.asText() + "' twice (entry " + i + ")");
            }
            labels.add(label.asText());
        }
        return labels;
    }

    private void checkJsonObject(String key) {
        if (!parseJson(key).isObject()) {
            throw refuse(key + " is not a JSON object: " + abbreviate(metadata.get(key)));
        }
    }

    private JsonNode parseJson(String key) {
        try {
            return JSON.readTree(metadata.get(key));
        } catch (JsonProcessingException e) {
            throw refuse(key + " is not valid JSON (" + e.getOriginalMessage() + "): "
                    + abbreviate(metadata.get(key)));
        }
    }

    /** The input's shape, after checking it is the single float32 rank-5 input 'joints' with a dynamic batch. */
    private long[] inputShape(Map<String, NodeInfo> inputs) {
        if (!inputs.containsKey(INPUT) || inputs.size() != 1) {
            throw refuse("inputs are " + inputs.keySet() + "; contract 1 expects exactly one input '" + INPUT
                    + "' float32 [batch, T, M, V, 3]");
        }
        long[] shape = floatTensorShape(inputs.get(INPUT), "input");
        if (shape.length != 5) {
            throw refuse("input '" + INPUT + "' has rank " + shape.length + " " + describeShape(shape)
                    + "; contract 1 expects rank 5 [batch, T, M, V, 3]");
        }
        requireDynamicBatch(shape, "input '" + INPUT + "'");
        return shape;
    }

    /** K or D: the static second dimension of output {@code name}, float32 [batch, width]. */
    private int outputWidth(Map<String, NodeInfo> outputs, String name, String symbol) {
        if (!outputs.containsKey(LOGITS) || !outputs.containsKey(EMBEDDING)) {
            throw refuse("outputs are " + outputs.keySet() + "; contract 1 expects '" + LOGITS + "' [batch, K] and '"
                    + EMBEDDING + "' [batch, D]");
        }
        long[] shape = floatTensorShape(outputs.get(name), "output");
        if (shape.length != 2) {
            throw refuse("output '" + name + "' has rank " + shape.length + " " + describeShape(shape)
                    + "; contract 1 expects [batch, " + symbol + "]");
        }
        requireDynamicBatch(shape, "output '" + name + "'");
        if (shape[1] < 1) {
            throw refuse("output '" + name + "' dimension 1 (" + symbol + ") is dynamic; contract 1 expects it fixed");
        }
        return Math.toIntExact(shape[1]);
    }

    private long[] floatTensorShape(NodeInfo node, String kind) {
        if (!(node.getInfo() instanceof TensorInfo tensor)) {
            throw refuse(kind + " '" + node.getName() + "' is " + node.getInfo() + ", not a tensor");
        }
        if (tensor.type != OnnxJavaType.FLOAT) {
            String type = tensor.onnxType.name().replace("ONNX_TENSOR_ELEMENT_DATA_TYPE_", "").toLowerCase(Locale.ROOT);
            throw refuse(kind + " '" + node.getName() + "' has element type " + type + "; contract 1 expects float32");
        }
        return tensor.getShape();
    }

    private void requireDynamicBatch(long[] shape, String what) {
        if (shape[0] >= 0) {
            throw refuse(what + " has a fixed batch of " + shape[0] + "; contract 1 requires a dynamic batch");
        }
    }

    private void requireDim(long[] shape, int index, String symbol, int expected, String key) {
        if (shape[index] < 0) {
            throw refuse("input '" + INPUT + "' dimension " + index + " (" + symbol + ") is dynamic; contract 1 fixes "
                    + symbol + " = " + expected + " from " + key);
        }
        if (shape[index] != expected) {
            throw refuse("input '" + INPUT + "' has " + symbol + " = " + shape[index] + " but " + key + " = "
                    + expected);
        }
    }

    private ModelContractException refuse(String what) {
        return new ModelContractException(where + ": " + what);
    }

    private static String describeShape(long[] shape) {
        return Arrays.stream(shape).mapToObj(ModelContract::dim).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String dim(long size) {
        return size < 0 ? "?" : Long.toString(size);
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
