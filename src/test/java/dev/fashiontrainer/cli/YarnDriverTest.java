package dev.fashiontrainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.fashiontrainer.ExitCodes;

/**
 * Inside YARN's ApplicationMaster (which sets {@code spark.yarn.app.id} before it calls {@code main}), a failed
 * command line throws with its one-line error and exit code instead of exiting the JVM, which would end this test
 * run. YarnHdfsIT checks what YARN then reports.
 */
class YarnDriverTest {
    @TempDir
    Path dir;

    @BeforeEach
    void pretendToBeTheApplicationMaster() {
        System.setProperty("spark.yarn.app.id", "application_1_0001");
    }

    @AfterEach
    void stopPretending() {
        System.clearProperty("spark.yarn.app.id");
    }

    @Test
    void aBadFlagThrowsTheTrainersErrorAndExitCode() {
        ExitStatusException failure = assertThrows(ExitStatusException.class,
                () -> FashionTrainer.main(new String[] {"--epochs=0", "--output=" + dir.resolve("run")}));
        assertEquals(ExitCodes.USAGE, failure.exitCode());
        assertEquals("error: --epochs must be a whole number at least 1, found 0 (exit code 2)", failure.getMessage());
    }

    @Test
    void anUnknownFlagThrowsTheErrorLine() {
        ExitStatusException failure = assertThrows(ExitStatusException.class,
                () -> FashionTrainer.main(new String[] {"--no-such-flag"}));
        assertEquals(ExitCodes.USAGE, failure.exitCode());
        assertEquals("error: Unknown option: '--no-such-flag' (--help lists every flag) (exit code 2)",
                failure.getMessage());
    }
}
