package dev.fashiontrainer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fashiontrainer.report.Json;

/**
 * The seed recipe's numbers stay what they were, to the bit, as the trainer grows: two epochs of the lesson on
 * 3,000 training and 500 test images, 2 workers, against the losses that the trainer of 2026-12-02 ({@code 419e750},
 * before layers, activations and any data became settings) printed for the same command, in this test's JVM
 * settings (Surefire's: one thread, OpenBLAS's AVX2 kernels).
 */
class SeedRecipeFidelityTest {
    @Test
    void theLessonsLossesAreThoseOfTheTrainerBeforeTheNetworkBecameASetting(@TempDir Path run) throws IOException {
        CommandRun cli = CommandRun.of(List.of("--epochs", "2", "--train-limit", "3000", "--test-limit", "500",
                "--data", TestData.directory(), "--output", run.toString()));
        assertEquals(0, cli.code(), cli.stderr());
        JsonNode metrics = Json.mapper().readTree(Files.readString(run.resolve("metrics.json")));
        StringBuilder found = new StringBuilder();
        for (JsonNode epoch : metrics) {
            found.append(epoch.get("train_loss").asDouble()).append(' ').append(epoch.get("test_loss").asDouble())
                    .append(' ').append(epoch.get("test_accuracy").asDouble()).append('\n');
        }
        assertEquals(EXPECTED, found.toString());
    }

    // train loss, test loss, test accuracy per epoch, printed by 419e750 in this test's JVM settings
    private static final String EXPECTED = "2.3048609157802282 2.3061431608655485 0.146\n"
            + "2.300957699838339 2.3018826019657666 0.164\n";
}
