package dev.fashiontrainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One small but real training run per test JVM, for the tests of what a run leaves behind (report, predictions)
 * and of the commands that use its model: the train command, 2 epochs on 3,000 training images (300 of them held out
 * for validation) with a learning rate that learns something in that time, evaluated on the first 500 test images.
 */
public final class TestRuns {
    /** Test images the run evaluates and predicts: the first this many of the test set. */
    public static final int TEST_IMAGES = 500;
    /** Training images the run holds out for validation. */
    public static final int VALIDATION_IMAGES = 300;

    private static Path directory;

    private TestRuns() {
    }

    /** @return the finished run's directory */
    public static synchronized Path small() {
        if (directory == null) {
            Path dir;
            try {
                dir = Files.createTempDirectory("fashion-trainer-run");
            } catch (IOException e) {
                throw new IllegalStateException("cannot create a temporary run directory", e);
            }
            // written through the watched local file system: TrainingRunResultsTest reads the order of its files
            ObservedFileSystem.register(TestSpark.context().hadoopConfiguration());
            CommandRun train = CommandRun.of(List.of("--epochs", "2", "--train-limit", "3000", "--test-limit",
                    String.valueOf(TEST_IMAGES), "--learning-rate", "0.1", "--validation-split", String.valueOf(VALIDATION_IMAGES), "--data", TestData.directory(),
                    "--output", ObservedFileSystem.of(dir).toString()));
            if (train.code() != 0) {
                throw new IllegalStateException("the test run failed: " + train.stderr());
            }
            directory = dir;
        }
        return directory;
    }
}
