package dev.fashiontrainer;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.fashiontrainer.cli.FashionTrainer;
import dev.fashiontrainer.cli.TrainCommand;
import picocli.CommandLine;

/**
 * One small but real training run per test JVM, for the tests of what a run leaves behind (report, predictions)
 * and of the commands that use its model: 2 epochs on 3,000 training images with a learning rate that learns
 * something in that time, evaluated on the first 500 test images, on the shared local Spark context.
 */
public final class TestRuns {
    /** Test images the run evaluates and predicts: the first this many of the test set. */
    public static final int TEST_IMAGES = 500;

    private static Path directory;

    private TestRuns() {
    }

    /** @return the finished run's directory */
    public static synchronized Path small() {
        if (directory == null) {
            try {
                Path dir = Files.createTempDirectory("fashion-trainer-run");
                CommandLine commandLine = FashionTrainer.commandLine(null);
                commandLine.parseArgs("--epochs", "2", "--train-limit", "3000", "--test-limit",
                        String.valueOf(TEST_IMAGES), "--learning-rate", "0.1", "--data", TestData.directory(),
                        "--output", dir.toString());
                TrainCommand command = commandLine.getCommand();
                PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
                new TrainingRun(TestSpark.context(), command.trainingConfig(), command.runOptions(), quiet, quiet)
                        .run();
                directory = dir;
            } catch (IOException e) {
                throw new IllegalStateException("cannot create a temporary run directory", e);
            }
        }
        return directory;
    }
}
