package io.skelstream.streams.replay;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import io.skelstream.schemas.SkeletonLayout;
import io.skelstream.schemas.SkeletonLayouts;
import io.skelstream.streams.app.BundledResources;

/** Loads a replayable dataset: a JSON Lines file, or the synthetic test set bundled in the jar. */
public final class DatasetLoader {

    private final JsonLinesDataset jsonLines;

    /** Joint counts come from layouts.json (the schemas module's copy), the one source of truth for layouts. */
    public DatasetLoader() {
        SkeletonLayouts layouts = SkeletonLayouts.bundled();
        this.jsonLines = new JsonLinesDataset(name -> {
            Optional<SkeletonLayout> layout = layouts.find(name);
            return layout.isPresent() ? OptionalInt.of(layout.get().jointCount()) : OptionalInt.empty();
        });
    }

    /**
     * @param file a {@code .jsonl} or {@code .jsonl.gz} file; empty means the bundled synthetic test set
     * @throws DatasetFormatException naming the file and line of the first problem
     */
    public List<PoseSequence> load(Optional<Path> file) {
        if (file.isPresent()) {
            return jsonLines.read(file.get());
        }
        return bundledTestSet();
    }

    /** The held-out synthetic test set the demo replays. */
    public List<PoseSequence> bundledTestSet() {
        String resource = BundledResources.SYNTHETIC_TEST_SET;
        Optional<InputStream> in = BundledResources.open(resource);
        if (in.isEmpty()) {
            throw new DatasetFormatException("classpath:" + resource, 0,
                    "this build has no bundled test set (models/bundled/ had none when the jar was built); pass a dataset file");
        }
        try (InputStream stream = in.get()) {
            return jsonLines.read(stream, "classpath:" + resource);
        } catch (IOException e) {
            throw new DatasetFormatException("classpath:" + resource, 0, "cannot read: " + e.getMessage(), e);
        }
    }
}
