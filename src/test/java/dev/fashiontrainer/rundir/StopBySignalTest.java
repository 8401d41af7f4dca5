package dev.fashiontrainer.rundir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.fashiontrainer.CommandRun;
import dev.fashiontrainer.ExitCodes;
import dev.fashiontrainer.RunMetrics;
import dev.fashiontrainer.TestData;
import dev.fashiontrainer.TrainerProcess;
import dev.fashiontrainer.report.Json;

/**
 * A scheduler's timeout (SIGTERM, what Airflow sends) and Ctrl-C (SIGINT) stop a training JVM in epoch 2: at once,
 * with one line saying where a rerun resumes, 128 + the signal's number as exit code, no stack trace from Spark's
 * threads, the lock released, and a rerun that ends on the uninterrupted run's metrics.
 */
class StopBySignalTest {
    @TempDir
    static Path runs;

    private static List<String> flags(String runId) {
        return List.of("--data=" + TestData.directory(), "--train-limit=12000", "--test-limit=1000", "--epochs=3",
                "--workers=2", "--progress=off", "--runs-root=" + runs, "--run-id=" + runId);
    }

    @BeforeAll
    static void trainUninterrupted() {
        CommandRun reference = CommandRun.of(flags("uninterrupted"));
        assertEquals(ExitCodes.OK, reference.code(), reference.stderr());
    }

    @ParameterizedTest
    @CsvSource({"TERM, 143", "INT, 130"})
    void aSignalInEpochTwoStopsWithOneLineAndTheRerunResumes(String signal, int exitCode) throws Exception {
        assertEquals(signal.equals("TERM") ? ExitCodes.SIGTERM : ExitCodes.SIGINT, exitCode);
        Path run = runs.resolve("stopped-" + signal);
        Path log = runs.resolve("stopped-" + signal + ".log");
        Process trainer = TrainerProcess.start(log, flags("stopped-" + signal).toArray(String[]::new));
        Path pointer = run.resolve(Checkpoint.POINTER);
        TrainerProcess.await(trainer, () -> Files.exists(pointer) && logHas(log, "Epoch 2"));
        assertTrue(trainer.isAlive() && Files.exists(pointer), "expected epoch 2 under way: " + Files.readString(log));

        if (signal.equals("TERM")) {
            trainer.destroy(); // SIGTERM on Linux
        } else {
            assumeFalse(ignoresSigint(trainer), "SIGINT is ignored in this process tree (started as a background job"
                    + " of a shell without job control), so no JVM here can handle it; run the test from a terminal");
            assertEquals(0, new ProcessBuilder("kill", "-INT", String.valueOf(trainer.pid())).start().waitFor());
        }
        assertTrue(trainer.waitFor(2, TimeUnit.MINUTES), "still running after the signal: " + Files.readString(log));

        String output = Files.readString(log);
        assertEquals(exitCode, trainer.exitValue(), output);
        int resumeAt = Json.mapper().readTree(pointer.toFile()).get("epoch").asInt() + 1;
        List<String> lines = output.lines().toList();
        assertEquals("stopped by signal; rerun to resume from epoch " + resumeAt, lines.get(lines.size() - 1),
                output);
        assertEquals(1, lines.stream().filter(line -> line.startsWith("stopped by signal")).count(), output);
        assertEquals(List.of(), lines.stream().filter(line -> line.startsWith("error:")).toList(), output);
        assertEquals(List.of(), TrainerProcess.traceLines(output), output);
        assertFalse(Files.exists(run.resolve(RunLock.FILE)), "the stop released the lock");
        assertFalse(Files.exists(run.resolve(RunDirectory.SUCCESS)));

        CommandRun resumed = CommandRun.of(flags("stopped-" + signal));
        assertEquals(ExitCodes.OK, resumed.code(), resumed.stderr());
        assertTrue(resumed.stderr().contains("Resuming from the checkpoint of epoch " + (resumeAt - 1)),
                resumed.stderr());
        RunMetrics.assertSame(runs.resolve("uninterrupted"), run, 3);
    }

    private static boolean logHas(Path log, String line) {
        try {
            return Files.readAllLines(log).contains(line);
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads the process's ignored-signals mask: SIGINT is signal 2, bit 1. */
    private static boolean ignoresSigint(Process process) throws IOException {
        String mask = Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status")).stream()
                .filter(line -> line.startsWith("SigIgn:")).findFirst().orElseThrow().substring(7).trim();
        return (Long.parseUnsignedLong(mask, 16) & (1L << 1)) != 0;
    }
}
