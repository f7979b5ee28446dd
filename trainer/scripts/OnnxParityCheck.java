// Replays fixtures.json through ONNX Runtime (Java, the runtime the encoder uses) and reports the
// largest difference from PyTorch's outputs. The trainer has no ONNX runtime in Python, so this is
// how an export is checked on this machine before the encoder's own tests see it.
//
//   java -cp ~/.m2/repository/com/microsoft/onnxruntime/onnxruntime/1.29.0/onnxruntime-1.29.0.jar \
//        scripts/OnnxParityCheck.java ../models/bundled/skelstream-tiny.onnx ../models/bundled/fixtures.json
//
// Exit status 0 when every case is within the fixtures' tolerance, 1 otherwise.

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class OnnxParityCheck {
    private static final Pattern CASE = Pattern.compile(
            "\"name\":\\s*\"([^\"]+)\".*?\"shape\":\\s*\\[([^\\]]+)\\].*?\"joints\":\\s*\"([^\"]+)\".*?"
                    + "\"logits\":\\s*\"([^\"]+)\".*?\"embedding\":\\s*\"([^\"]+)\"", Pattern.DOTALL);
    private static final Pattern TOLERANCE = Pattern.compile("\"tolerance\":\\s*([0-9.eE+-]+)");

    public static void main(String[] args) throws Exception {
        String json = Files.readString(Path.of(args[1]));
        Matcher tol = TOLERANCE.matcher(json);
        double tolerance = tol.find() ? Double.parseDouble(tol.group(1)) : 1e-4;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        boolean ok = true;
        try (OrtSession session = env.createSession(args[0], new OrtSession.SessionOptions())) {
            Matcher m = CASE.matcher(json);
            while (m.find()) {
                String[] parts = m.group(2).split(",");
                long[] shape = new long[parts.length];
                for (int i = 0; i < parts.length; i++) shape[i] = Long.parseLong(parts[i].trim());
                try (OnnxTensor input = OnnxTensor.createTensor(env, floats(m.group(3)), shape);
                     OrtSession.Result result = session.run(Map.of("joints", input))) {
                    double dLogits = maxDiff(result.get("logits").get(), floats(m.group(4)));
                    double dEmbedding = maxDiff(result.get("embedding").get(), floats(m.group(5)));
                    boolean pass = dLogits <= tolerance && dEmbedding <= tolerance;
                    ok &= pass;
                    System.out.printf("%-24s max|dlogits| %.3g  max|dembedding| %.3g  %s%n", m.group(1), dLogits,
                            dEmbedding, pass ? "ok" : "FAIL");
                }
            }
        }
        System.exit(ok ? 0 : 1);
    }

    private static FloatBuffer floats(String b64) {
        return ByteBuffer.wrap(Base64.getDecoder().decode(b64)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    }

    private static double maxDiff(Object value, FloatBuffer expected) {
        FloatBuffer got = ((OnnxTensor) value).getFloatBuffer();
        double max = 0;
        if (got.remaining() != expected.remaining()) return Double.POSITIVE_INFINITY;
        while (got.hasRemaining()) max = Math.max(max, Math.abs(got.get() - expected.get()));
        return max;
    }
}
