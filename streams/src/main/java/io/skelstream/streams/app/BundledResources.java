package io.skelstream.streams.app;

import java.io.InputStream;
import java.util.Optional;

/**
 * What the executable jar carries besides code (see the build section of streams/pom.xml, which copies
 * {@code models/bundled/} under {@value #FOLDER}).
 */
public final class BundledResources {

    /** Classpath folder of the bundled model and its test set. */
    public static final String FOLDER = "skelstream/bundled/";
    /** The bundled model: used when no {@code model.path} is configured. */
    public static final String MODEL = FOLDER + "skelstream-tiny.onnx";
    /** Held-out synthetic test set (JSON Lines, gzip) that {@code skelstream demo} replays. */
    public static final String SYNTHETIC_TEST_SET = FOLDER + "synthetic-test.jsonl.gz";
    /** Default alert rules, used by the demo and when {@code alerts.rules.file} is {@code classpath:default}. */
    public static final String DEFAULT_ALERT_RULES = "skelstream/alert-rules.json";

    private BundledResources() {
    }

    /** True when this build carries the resource. */
    public static boolean present(String resource) {
        return loader().getResource(resource) != null;
    }

    /** Opens a bundled resource, if this build carries it. */
    public static Optional<InputStream> open(String resource) {
        return Optional.ofNullable(loader().getResourceAsStream(resource));
    }

    private static ClassLoader loader() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return loader != null ? loader : BundledResources.class.getClassLoader();
    }
}
