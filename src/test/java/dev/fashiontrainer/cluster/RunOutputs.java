package dev.fashiontrainer.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.fashiontrainer.TrainingRun;
import dev.fashiontrainer.rundir.RunDirectory;

/** Reads what a finished run left in its directory, for assertions. */
final class RunOutputs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;

    RunOutputs(Path directory) {
        this.directory = directory;
    }

    /** @return whether the run marked itself successful and wrote its model */
    boolean finished() {
        return Files.exists(directory.resolve(RunDirectory.SUCCESS)) && Files.exists(directory.resolve(TrainingRun.MODEL_FILE));
    }

    /** @return metrics.json: one map per epoch */
    List<Map<String, Object>> metrics() {
        return read(TrainingRun.METRICS_FILE, new TypeReference<>() { });
    }

    /** @return run.json */
    Map<String, Object> manifest() {
        return read(TrainingRun.MANIFEST_FILE, new TypeReference<>() { });
    }

    /** @return evaluation.json */
    Map<String, Object> evaluation() {
        return read(TrainingRun.EVALUATION_FILE, new TypeReference<>() { });
    }

    private <T> T read(String name, TypeReference<T> type) {
        try {
            return JSON.readValue(directory.resolve(name).toFile(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + " in " + directory, e);
        }
    }
}
