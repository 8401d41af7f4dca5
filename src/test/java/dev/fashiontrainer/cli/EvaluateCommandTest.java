package dev.fashiontrainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fashiontrainer.ExitCodes;
import dev.fashiontrainer.CommandRun;
import dev.fashiontrainer.TestData;
import dev.fashiontrainer.TestRuns;
import dev.fashiontrainer.TrainingRun;
import dev.fashiontrainer.data.DataDirectory;
import dev.fashiontrainer.report.Json;

class EvaluateCommandTest {

    private static CommandRun run(String... args) {
        return CommandRun.of(List.of(args));
    }

    @Test
    void evaluatingTheSavedModelGivesTheRunsOwnTestResult() throws IOException {
        Path runDir = TestRuns.small();
        JsonNode evaluation = Json.mapper().readTree(runDir.resolve(TrainingRun.EVALUATION_FILE).toFile());
        String seedLines = String.format(Locale.ROOT, "Test Error: %n Accuracy: %.1f%%, Avg loss: %f %n",
                100 * evaluation.get("accuracy").asDouble(), evaluation.get("average_loss").asDouble());
        long correct = Math.round(evaluation.get("accuracy").asDouble() * TestRuns.TEST_IMAGES);

        CommandRun fromDataDirectory = run("evaluate", "--model", runDir.resolve("model.zip").toString(),
                "--data", TestData.directory(), "--test-limit", String.valueOf(TestRuns.TEST_IMAGES));
        assertEquals(0, fromDataDirectory.code(), fromDataDirectory.stderr());
        assertTrue(fromDataDirectory.stdout().startsWith(seedLines), fromDataDirectory.stdout());
        assertTrue(fromDataDirectory.stdout().contains("Correct: " + correct + " of " + TestRuns.TEST_IMAGES),
                fromDataDirectory.stdout());

        CommandRun fromIdxFiles = run("evaluate", "--model", runDir.resolve("model.zip").toString(),
                "--images", TestData.directory() + "/t10k-images-idx3-ubyte.gz",
                "--labels", TestData.directory() + "/t10k-labels-idx1-ubyte.gz",
                "--test-limit", String.valueOf(TestRuns.TEST_IMAGES), "--workers", "3");
        assertEquals(0, fromIdxFiles.code(), fromIdxFiles.stderr());
        assertEquals(fromDataDirectory.stdout(), fromIdxFiles.stdout(), "partitioning does not change the result");
    }

    /** A data directory converted to Parquet ('convert') serves evaluate as it serves training. */
    @Test
    void theTestSetAsParquetGivesTheSameResultAsItsIdxFiles(@TempDir Path work) {
        Path data = work.resolve("parquet-data");
        CommandRun converted = run("convert", "--images", TestData.directory() + "/t10k-images-idx3-ubyte.gz",
                "--labels", TestData.directory() + "/t10k-labels-idx1-ubyte.gz",
                "--output", data.resolve(DataDirectory.TEST_PARQUET).toString());
        assertEquals(0, converted.code(), converted.stderr());
        String model = TestRuns.small().resolve("model.zip").toString();
        String limit = String.valueOf(TestRuns.TEST_IMAGES);

        CommandRun fromParquet = run("evaluate", "--model", model, "--data", data.toString(), "--test-limit", limit);
        CommandRun fromIdx = run("evaluate", "--model", model, "--data", TestData.directory(), "--test-limit", limit);
        assertEquals(0, fromParquet.code(), fromParquet.stderr());
        assertTrue(fromParquet.stderr().contains("Images: the test set in " + data + " (" + limit + ")"),
                fromParquet.stderr());
        assertEquals(fromIdx.stdout(), fromParquet.stdout());
    }

    @Test
    void imagesWithoutLabelsIsAUsageError() {
        CommandRun result = run("evaluate", "--model", TestRuns.small().resolve("model.zip")
                .toString(), "--images", TestData.directory() + "/t10k-images-idx3-ubyte.gz");
        assertEquals(ExitCodes.USAGE, result.code());
        assertTrue(result.stderr().contains("--images and --labels go together"), result.stderr());
    }
}
