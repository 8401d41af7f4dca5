package dev.fashiontrainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.fashiontrainer.ExitCodes;
import dev.fashiontrainer.CommandRun;
import dev.fashiontrainer.TestData;
import dev.fashiontrainer.TrainingRun;
import dev.fashiontrainer.config.EngineKind;
import dev.fashiontrainer.data.IdxFixtures;

/**
 * Every kind of bad input ends with one clear line naming the file or flag, a non-zero exit code, and no model.
 */
class BadInputTest {
    @TempDir
    Path dir;

    /** Runs the command line, capturing standard error. */
    private static CommandRun run(String... args) {
        return CommandRun.of(List.of(args));
    }

    private String[] withOutput(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.add("--output=" + dir.resolve("run"));
        return all.toArray(String[]::new);
    }

    /** For a run refused before it starts: not even the run directory is made. */
    private void assertNothingWritten() {
        assertFalse(Files.exists(dir.resolve("run")), "the run directory was made");
    }

    /** For a run that started and failed: its directory holds what it wrote, but nothing that looks finished. */
    private void assertNoModel() {
        Path run = dir.resolve("run");
        assertTrue(Files.isDirectory(run), "the run never started: nothing could have been written");
        assertFalse(Files.exists(run.resolve(TrainingRun.MODEL_FILE)), "model.zip was written");
        assertFalse(Files.exists(run.resolve("_SUCCESS")), "_SUCCESS was written");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--epochs=0          | --epochs must be a whole number at least 1, found 0",
        "--batch-size=-5     | --batch-size must be a whole number at least 1, found -5",
        "--learning-rate=0   | --learning-rate must be a number above 0, found 0",
        "--learning-rate=-1e-3 | --learning-rate must be a number above 0, found -0.001",
        "--workers=0         | --workers must be a whole number at least 1, found 0",
        "--loss=hinge        | expected one of cross-entropy, nll, mse, found 'hinge'",
        "--epochs=ten        | Invalid value for option '--epochs': 'ten' is not an int",
        "--no-such-flag      | Unknown option: '--no-such-flag'",
        "--recipe=turbo      | --recipe must be seed or fast, found 'turbo'",
        "--block-momentum=1  | --block-momentum must be a number in [0, 1) or auto, found 1",
        "--block-momentum=high | --block-momentum must be a number in [0, 1) or auto, found 'high'",
        "--averaging-frequency=often | --averaging-frequency must be a whole number at least 0 or auto or half-workers, found 'often'",
        "--averaging-frequency=-1 | --averaging-frequency must be a whole number at least 0 or auto or half-workers, found '-1'",
        "--layers=784        | --layers needs the input width and the class count at least",
        "--layers=784,0,10   | --layers takes positive whole widths, found [784, 0, 10]",
        "--activation=swish  | expected one of relu, sigmoid, tanh, found 'swish'",
        "--validation-split=2.5 | --validation-split must be a fraction in [0, 1) or a whole number of examples, found 2.5",
        "--label-smoothing=1 | --label-smoothing must be a number in [0, 1), found 1",
        "--shift-pixels=28   | --shift-pixels must be a whole number in [0, 27], found 28",
        "--progress=sometimes | expected one of auto, bar, lines, off, found 'sometimes'",
        "--progress-interval=0 | --progress-interval must be at least 1 second, found 0",
    })
    void badFlagsAreUsageErrors(String flag, String message) {
        CommandRun outcome = run(withOutput(flag));
        assertEquals(ExitCodes.USAGE, outcome.code(), outcome.stderr());
        assertTrue(outcome.stderr().contains(message), outcome.stderr());
        assertNothingWritten();
    }

    /**
     * DL4J's Spark module exists for Scala 2.12 only: the Spark 4 build (Scala 2.13) refuses its engine before the
     * run starts, in one line naming the build that has it; the Spark 3.5 build has the engine.
     */
    @Test
    void theDl4jEngineIsInTheScala212BuildOnly() {
        boolean scala212 = scala.util.Properties.versionNumberString().startsWith("2.12.");
        assertEquals(scala212, EngineKind.DL4J.available(), "DL4J's engine on Scala "
                + scala.util.Properties.versionNumberString());
        if (!scala212) {
            CommandRun outcome = run(withOutput("--engine=dl4j"));
            assertEquals(ExitCodes.USAGE, outcome.code(), outcome.stderr());
            assertEquals("error: --engine dl4j needs DL4J's Spark module, which exists for Scala 2.12 only, and this"
                    + " build is for Scala 2.13: use the Spark 3.5 build (fashion-trainer-job.jar, built without"
                    + " -Dspark.line=4) or --engine spark", outcome.stderr().strip());
            assertNothingWritten();
        }
    }

    /** picocli's own parse errors: one line, as every other error, with the misspelt flag's suggestion. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--epochs=ten | error: Invalid value for option '--epochs': 'ten' is not an int (--help lists every flag)",
        "--epocs=3    | error: Unknown option: '--epocs=3'; did you mean --epochs? (--help lists every flag)",
        "evaluate     | error: Missing required option: '--model=FILE' (evaluate --help lists every flag)",
    })
    void unparsableCommandLinesAreOneLine(String args, String line) {
        CommandRun outcome = CommandRun.of(List.of(args.split(" ")));
        assertEquals(ExitCodes.USAGE, outcome.code(), outcome.stderr());
        assertEquals(line, outcome.stderr().strip());
    }

    @Test
    void moreWorkersThanExamplesIsAUsageError() {
        CommandRun outcome = run(withOutput("--data=" + TestData.directory(), "--train-limit=3", "--workers=4"));
        assertEquals(ExitCodes.USAGE, outcome.code(), outcome.stderr());
        assertEquals("error: --workers 4 is more than the 3 training examples; every worker needs at least one",
                outcome.errorLine());
        assertNoModel();
    }

    @Test
    void layersThatDoNotFitTheDataAreAUsageError() {
        CommandRun outcome = run(withOutput("--data=" + TestData.directory(), "--train-limit=100", "--layers=100,10"));
        assertEquals(ExitCodes.USAGE, outcome.code(), outcome.stderr());
        assertEquals("error: --layers starts with an input width of 100 but the features have 784 values; pass"
                + " --layers 784,... or --layers auto", outcome.errorLine());
        assertNoModel();
    }

    @Test
    void holdingOutEveryExampleIsAUsageError() {
        CommandRun outcome = run(withOutput("--data=" + TestData.directory(), "--train-limit=50",
                "--validation-split=50"));
        assertEquals(ExitCodes.USAGE, outcome.code(), outcome.stderr());
        assertEquals("error: --validation-split holds out 50 of the 50 training examples, leaving none to"
                + " train on; hold out fewer", outcome.errorLine());
        assertNoModel();
    }

    @Test
    void missingDataIsADataError() {
        CommandRun outcome = run(withOutput("--data=" + dir.resolve("no-data")));
        assertEquals(ExitCodes.DATA, outcome.code(), outcome.stderr());
        assertTrue(outcome.errorLine().endsWith("no-data/train-images-idx3-ubyte.gz: file not found (nor"
                + " train-images-idx3-ubyte); --data must name a directory holding the data set (--help says in"
                + " which forms)"), outcome.errorLine());
        assertNoModel();
    }

    @Test
    void aDamagedFileIsADataError() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        for (String name : new String[] {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}) {
            Files.copy(Path.of(TestData.directory(), name), data.resolve(name));
        }
        byte[] labels = Files.readAllBytes(data.resolve("t10k-labels-idx1-ubyte.gz"));
        Files.write(data.resolve("t10k-labels-idx1-ubyte.gz"), Arrays.copyOf(labels, labels.length - 100));
        CommandRun outcome = run(withOutput("--data=" + data));
        assertEquals(ExitCodes.DATA, outcome.code(), outcome.stderr());
        assertTrue(outcome.errorLine().contains("t10k-labels-idx1-ubyte.gz: truncated gzip stream"),
                outcome.errorLine());
        assertNoModel();
    }

    @Test
    void anUnwritableOutputIsAUsageError() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        CommandRun outcome = run("--data=" + TestData.directory(), "--output=" + file.resolve("run"));
        assertEquals(ExitCodes.USAGE, outcome.code(), outcome.stderr());
        assertTrue(outcome.errorLine().contains("a-file/run: cannot write the run directory there"),
                outcome.errorLine());
    }

    @Test
    void aDivergingRunStopsWithItsOwnCodeAndNoModel() {
        CommandRun outcome = run(withOutput("--data=" + TestData.directory(), "--train-limit=2000",
                "--test-limit=200", "--epochs=2", "--learning-rate=1e6"));
        assertEquals(ExitCodes.DIVERGED, outcome.code(), outcome.stderr());
        assertTrue(outcome.errorLine().startsWith("error: training diverged in epoch 1:"), outcome.errorLine());
        assertNoModel();
    }

    @Test
    void outputWithRunIdOrRunsRootIsAUsageError() {
        for (String ignored : new String[] {"--run-id=b", "--runs-root=" + dir.resolve("root")}) {
            CommandRun outcome = run(withOutput("--data=" + TestData.directory(), ignored));
            assertEquals(ExitCodes.USAGE, outcome.code(), outcome.stderr());
            String flag = ignored.substring(0, ignored.indexOf('='));
            assertEquals("error: --output names the run directory itself, so " + flag + " would be ignored; pass"
                    + " either --output or --runs-root/--run-id", outcome.errorLine());
            assertNothingWritten();
        }
    }

    @ParameterizedTest
    @CsvSource({"..", ".", "a/b", "../escape", ".hidden", "-dash", "' '"})
    void aRunIdThatIsNotOneDirectoryNameIsAUsageError(String runId) throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        CommandRun outcome = run("--data=" + TestData.directory(), "--runs-root=" + root, "--run-id=" + runId,
                "--epochs=1", "--train-limit=500", "--test-limit=100");
        assertEquals(ExitCodes.USAGE, outcome.code(), outcome.stderr());
        assertTrue(outcome.errorLine().startsWith("error: --run-id must match [A-Za-z0-9][A-Za-z0-9._-]*"),
                outcome.errorLine());
        try (var left = Files.list(dir)) {
            assertEquals(List.of(root), left.toList(), "nothing written beside the runs root");
        }
        try (var inRoot = Files.list(root)) {
            assertEquals(0, inRoot.count(), "nothing written in the runs root");
        }
    }

    @Test
    void aBatchLargerThanTheTrainingSetIsAUsageError() {
        CommandRun outcome = run(withOutput("--data=" + TestData.directory(), "--train-limit=1000",
                "--test-limit=100", "--batch-size=2147483647"));
        assertEquals(ExitCodes.USAGE, outcome.code(), outcome.stderr());
        assertEquals("error: --batch-size 2147483647 is more than the 1000 training examples; pass at most 1000",
                outcome.errorLine());
        assertNoModel();
    }

    @Test
    void anEmptyTestSetIsADataError() throws IOException {
        Path data = Files.createDirectories(dir.resolve("no-test-images"));
        IdxFixtures.writeDataSet(data, 200, 0);
        CommandRun outcome = run(withOutput("--data=" + data, "--no-verify", "--epochs=1"));
        assertEquals(ExitCodes.DATA, outcome.code(), outcome.stderr());
        assertEquals("error: " + data + ": the test set holds no images; every epoch is evaluated on it, so give"
                + " a data set with test images", outcome.errorLine());
        assertNoModel();
    }
}
