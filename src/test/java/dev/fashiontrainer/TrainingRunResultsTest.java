package dev.fashiontrainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.report.ConsoleReport;
import dev.fashiontrainer.report.Json;
import dev.fashiontrainer.report.PredictionsCsv;
import dev.fashiontrainer.export.RunExport;
import dev.fashiontrainer.rundir.RunDirectory;

class TrainingRunResultsTest {

    @Test
    void predictionsCoverTheTestSetAndAgreeWithTheEvaluation() throws IOException {
        Path run = TestRuns.small();
        List<String> lines = Files.readAllLines(run.resolve(TrainingRun.PREDICTIONS_FILE));
        JsonNode evaluation = Json.mapper().readTree(run.resolve(TrainingRun.EVALUATION_FILE).toFile());

        assertEquals(PredictionsCsv.HEADER, lines.get(0));
        assertEquals(TestRuns.TEST_IMAGES + 1, lines.size());
        int correct = 0;
        for (int i = 1; i < lines.size(); i++) {
            String[] row = lines.get(i).split(",");
            assertEquals("t10k-images-idx3-ubyte", row[0]);
            assertEquals(i - 1, Integer.parseInt(row[1]));
            int predicted = Integer.parseInt(row[3]);
            assertEquals(LabeledImages.CLASS_NAMES.get(predicted), row[4]);
            double probability = Double.parseDouble(row[5]);
            assertTrue(probability >= 0.1 && probability <= 1, "the top class of 10 has at least 1/10: " + row[5]);
            correct += Integer.parseInt(row[2]) == predicted ? 1 : 0;
        }
        // the driver's predictions and the executors' evaluation see the same model
        assertEquals(evaluation.get("accuracy").asDouble(), (double) correct / TestRuns.TEST_IMAGES, 1e-12);
        assertTrue(evaluation.get("accuracy").asDouble() > 0.5, "the test run should learn something: "
                + evaluation.get("accuracy"));
    }

    @Test
    void aValidationSplitHoldsOutTrainingImagesAndReportsTheirAccuracyEveryEpoch() throws IOException {
        Path run = TestRuns.small();
        JsonNode manifest = Json.mapper().readTree(run.resolve(TrainingRun.MANIFEST_FILE).toFile());
        assertEquals(TestRuns.VALIDATION_IMAGES, manifest.get("data").get("validation_examples").asInt());
        assertEquals(3000 - TestRuns.VALIDATION_IMAGES, manifest.get("data").get("training_examples").asInt());
        JsonNode metrics = Json.mapper().readTree(run.resolve(TrainingRun.METRICS_FILE).toFile());
        for (JsonNode epoch : metrics) {
            double accuracy = epoch.get("validation_accuracy").asDouble();
            assertTrue(accuracy > 0.3 && accuracy <= 1, "validation accuracy " + accuracy);
            assertTrue(epoch.get("validation_loss").asDouble() > 0);
        }
        assertTrue(Files.readString(run.resolve(TrainingRun.REPORT_FILE)).contains("validation accuracy"));
    }

    @Test
    void resultsForPeopleAreWrittenBeforeTheSuccessMarker() throws IOException {
        Path run = TestRuns.small();
        assertTrue(Files.exists(run.resolve(RunDirectory.SUCCESS)));
        // the order of the renames that published them: modification times can be equal (a coarse clock)
        List<String> published = ObservedFileSystem.renamedInto(run);
        assertEquals(RunDirectory.SUCCESS, published.get(published.size() - 1), "published last: " + published);
        for (String file : List.of(TrainingRun.REPORT_FILE, TrainingRun.MODEL_FILE, RunExport.FILE,
                TrainingRun.PREDICTIONS_FILE, TrainingRun.EVALUATION_FILE, TrainingRun.METRICS_FILE,
                TrainingRun.MANIFEST_FILE)) {
            assertTrue(published.contains(file), file + " published: " + published);
        }
        try (var files = Files.list(run)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith("._tmp_")),
                    "no temporary files are left behind");
        }
    }
}
