package dev.fashiontrainer.rundir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.fashiontrainer.CommandRun;
import dev.fashiontrainer.ExitCodes;
import dev.fashiontrainer.RunMetrics;
import dev.fashiontrainer.TestData;
import dev.fashiontrainer.TrainerProcess;
import dev.fashiontrainer.TrainingRun;

/**
 * A run directory on a real disk that fills up while epoch 2's checkpoint is written (a size-limited tmpfs, which
 * only root can mount): one error line naming the file, the full disk and the epoch a rerun resumes from, exit
 * code 1, no temporary file left; once the disk has grown, the rerun ends on the uninterrupted run's metrics.
 */
class FullDiskTest {
    @TempDir
    Path work;
    private Path mounted;

    private static List<String> flags(Path output) {
        return List.of("--data=" + TestData.directory(), "--train-limit=2000", "--test-limit=200", "--epochs=3",
                "--workers=2", "--progress=off", "--output=" + output);
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted != null) {
            run("umount", "--lazy", mounted.toString()); // lazy: a file still open must not keep it mounted
        }
    }

    @Test
    void aDiskFullDuringACheckpointEndsInOneLineAndTheRerunResumes() throws Exception {
        assumeTrue(System.getProperty("user.name").equals("root"), "skipped: mounting a size-limited tmpfs needs"
                + " root, and this test runs as " + System.getProperty("user.name"));
        Path reference = work.resolve("uninterrupted");
        CommandRun uninterrupted = CommandRun.of(flags(reference));
        assertEquals(ExitCodes.OK, uninterrupted.code(), uninterrupted.stderr());
        // model.zip holds what a checkpoint holds: room for one checkpoint and the small files, not for two
        long checkpointBytes = Files.size(reference.resolve(TrainingRun.MODEL_FILE));
        Path disk = Files.createDirectories(work.resolve("disk"));
        String mount = run("mount", "-t", "tmpfs", "-o", "size=" + checkpointBytes * 3 / 2, "tmpfs", disk.toString());
        assumeTrue(mount.isEmpty(), "skipped: cannot mount a tmpfs here: " + mount);
        mounted = disk;

        Path output = disk.resolve("run");
        Path log = work.resolve("full.log");
        Process trainer = TrainerProcess.start(log, flags(output).toArray(String[]::new));
        assertTrue(trainer.waitFor(10, TimeUnit.MINUTES), "still running: " + Files.readString(log));
        String printed = Files.readString(log);
        assertEquals(ExitCodes.FAILURE, trainer.exitValue(), printed);
        assertEquals(List.of("error: file:" + output + "/checkpoint-epoch-2.zip: cannot be written: the disk is full"
                        + " (No space left on device); rerun to resume from epoch 2"),
                printed.lines().filter(line -> line.startsWith("error:")).toList(), printed);
        assertEquals(List.of(), TrainerProcess.traceLines(printed), printed);
        try (Stream<Path> files = Files.list(output)) {
            assertEquals(List.of(), files.map(file -> file.getFileName().toString())
                    .filter(name -> name.contains("_tmp_")).toList(), "temporary files left behind");
        }

        assertEquals("", run("mount", "-o", "remount,size=64m", disk.toString()));
        CommandRun resumed = CommandRun.of(flags(output));
        assertEquals(ExitCodes.OK, resumed.code(), resumed.stderr());
        assertTrue(resumed.stderr().contains("Resuming from the checkpoint of epoch 1"), resumed.stderr());
        RunMetrics.assertSame(reference, output, 3);
    }

    /** @return what the command printed when it failed, empty when it succeeded */
    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return process.waitFor() == 0 ? "" : command[0] + " exited " + process.exitValue() + ": " + printed;
    }
}
