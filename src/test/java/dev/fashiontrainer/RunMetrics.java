package dev.fashiontrainer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fashiontrainer.report.Json;

/**
 * A run's {@code metrics.json}, compared with another run's: an interrupted and resumed run must end on the
 * uninterrupted run's numbers.
 */
public final class RunMetrics {
    private RunMetrics() {
    }

    /** @return the run directory's metrics, one object per epoch */
    public static JsonNode of(Path runDirectory) throws IOException {
        return Json.mapper().readTree(runDirectory.resolve(TrainingRun.METRICS_FILE).toFile());
    }

    /** Asserts that both runs have {@code epochs} epochs with the same losses, accuracy and learning rate (to 1e-9). */
    public static void assertSame(Path expectedRun, Path actualRun, int epochs) throws IOException {
        JsonNode expected = of(expectedRun);
        JsonNode actual = of(actualRun);
        assertEquals(epochs, actual.size());
        for (int e = 0; e < epochs; e++) {
            for (String field : new String[] {"epoch", "train_loss", "test_loss", "test_accuracy", "learning_rate"}) {
                assertEquals(expected.get(e).get(field).asDouble(), actual.get(e).get(field).asDouble(), 1e-9,
                        "epoch " + (e + 1) + " " + field);
            }
        }
    }
}
