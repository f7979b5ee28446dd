package io.skelstream.streams.cli;

/**
 * Entry point of the executable jar: {@code java -jar skelstream.jar <command>}. See {@link SkelStreamCommand}.
 */
public final class Main {

    /** Avro 1.12 only instantiates generated classes from trusted packages; must be set before Avro loads. */
    static final String AVRO_TRUSTED_PACKAGES_PROPERTY = "org.apache.avro.SERIALIZABLE_PACKAGES";
    static final String AVRO_TRUSTED_PACKAGES = "io.skelstream.schemas";

    private Main() {
    }

    public static void main(String[] args) {
        trustSchemaPackages();
        System.exit(execute(args));
    }

    /** Runs one command line and returns its exit code (no System.exit: tests call this). */
    public static int execute(String... args) {
        trustSchemaPackages();
        return SkelStreamCommand.commandLine().execute(args);
    }

    static void trustSchemaPackages() {
        String current = System.getProperty(AVRO_TRUSTED_PACKAGES_PROPERTY);
        if (current == null || current.isBlank()) {
            System.setProperty(AVRO_TRUSTED_PACKAGES_PROPERTY, AVRO_TRUSTED_PACKAGES);
        } else if (!(("," + current + ",").contains("," + AVRO_TRUSTED_PACKAGES + ","))) {
            System.setProperty(AVRO_TRUSTED_PACKAGES_PROPERTY, current + "," + AVRO_TRUSTED_PACKAGES);
        }
    }

}
