package io.skelstream.it.live;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.skelstream.it.harness.PipelineUnderTest;

/**
 * Runs {@code src/test/js/live/live-page.mjs} (playwright-core driving Debian's {@code /usr/bin/chromium}, headless,
 * with a fresh profile) against a live page and returns the JSON it prints.
 */
final class LiveBrowser {

    static final Path SCRIPT_DIR = PipelineUnderTest.repoRoot().resolve("integration-tests/src/test/js/live");
    static final Path CHROMIUM = Path.of(System.getProperty("skelstream.it.chromium", "/usr/bin/chromium"));

    private LiveBrowser() {
    }

    /** Fails with what to install when the browser or the npm package is missing. */
    static void requireInstalled() {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new IllegalStateException("the live page test needs Chromium at " + CHROMIUM
                    + "; install it with: apt-get install -y chromium");
        }
        if (!Files.isDirectory(SCRIPT_DIR.resolve("node_modules/playwright-core"))) {
            throw new IllegalStateException("the live page test needs playwright-core; install it with: npm ci --prefix "
                    + SCRIPT_DIR);
        }
    }

    /**
     * Opens the page and reports what it saw.
     *
     * @param environment LIVE_URL, SCREENSHOT, EXPECT_DEVICES, MIN_WITH_ACTION, LOAD_SECONDS (see the script)
     */
    static JsonNode run(Map<String, String> environment, Path log, long timeoutSeconds) throws IOException,
            InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(List.of("node", "live-page.mjs")).directory(SCRIPT_DIR.toFile())
                .redirectError(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("CHROMIUM", CHROMIUM.toString());
        Process process = builder.start();
        byte[] out;
        try {
            out = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the browser script did not finish within " + timeoutSeconds + " s");
            }
        } finally {
            process.destroyForcibly();
        }
        String stdout = new String(out, StandardCharsets.UTF_8).trim();
        if (process.exitValue() != 0 || stdout.isEmpty()) {
            throw new IllegalStateException("the browser script failed (exit " + process.exitValue() + "):\n" + stdout
                    + "\n" + Files.readString(log));
        }
        String last = stdout.substring(stdout.lastIndexOf('\n') + 1);
        return new ObjectMapper().readTree(last);
    }
}
