package dev.fashiontrainer.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.fashiontrainer.TrainingRun;
import dev.fashiontrainer.rundir.RunDirectory;

/** Reads what a finished run left in its directory (local, or on a store the test reads), for assertions. */
final class RunOutputs {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The per-epoch numbers that an interrupted or resumed run must reproduce (timings differ from run to run). */
    private static final List<String> REPRODUCIBLE = List.of("epoch", "train_loss", "test_loss", "test_accuracy");

    private final String location;
    private final Function<String, Optional<byte[]>> files;

    /**
     * @param location the run directory, for messages
     * @param files a file's content by name, empty when there is no such file
     */
    RunOutputs(String location, Function<String, Optional<byte[]>> files) {
        this.location = location;
        this.files = files;
    }

    RunOutputs(Path directory) {
        this(directory.toString(), name -> {
            Path file = directory.resolve(name);
            try {
                return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** @return whether the run marked itself successful and wrote its model */
    boolean finished() {
        return files.apply(RunDirectory.SUCCESS).isPresent() && files.apply(TrainingRun.MODEL_FILE).isPresent();
    }

    /** @return metrics.json: one map per epoch */
    List<Map<String, Object>> metrics() {
        return read(TrainingRun.METRICS_FILE, new TypeReference<>() { });
    }

    /** @return the metrics without the timings, which differ from run to run */
    List<Map<String, Object>> reproducibleMetrics() {
        return metrics().stream().map(epoch -> {
            Map<String, Object> kept = new LinkedHashMap<>(epoch);
            kept.keySet().retainAll(REPRODUCIBLE);
            return kept;
        }).toList();
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
        byte[] content = files.apply(name).orElseThrow(() -> new IllegalStateException(
                "expected " + name + " in " + location + "; found none"));
        try {
            return JSON.readValue(content, type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + " in " + location, e);
        }
    }
}
