package io.skelstream.streams.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code skelstream --version}: the jar's Implementation-Version (set by the shade plugin), or "development". */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = SkelStreamCommand.class.getPackage().getImplementationVersion();
        return new String[] {"skelstream " + (version != null ? version : "development") + " (Java "
                + System.getProperty("java.version") + ")"};
    }
}
