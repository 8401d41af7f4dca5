package dev.fashiontrainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launch scripts' own handling of what they are given, run with bash. The JVM they would start is replaced by
 * a stand-in on the PATH that prints its arguments, so no build and no Spark are needed.
 */
class LauncherScriptsTest {
    @TempDir
    Path scratch;

    private record Outcome(int code, String output) {
    }

    private static Outcome bash(Map<String, String> environment, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), output);
        return new Outcome(process.exitValue(), output);
    }

    @Test
    void aSparkOptionWithoutItsValueIsAUsageError() throws Exception {
        for (String option : List.of("--master", "--deploy-mode", "--conf")) {
            Outcome outcome = bash(Map.of(), "bash", "submit/cluster.sh", option);
            assertEquals(2, outcome.code(), outcome.output());
            assertEquals("error: " + option + " needs a value, e.g. " + option + " VALUE (see the top of"
                    + " submit/cluster.sh)", outcome.output().strip());
        }
    }

    /** TRAINER_JAVA_OPTS adds to the default heap and overrides it only by naming another -Xmx after it. */
    @Test
    void trainerJavaOptsKeepTheDefaultHeapUnlessTheyNameOne() throws Exception {
        // a copy of the launcher beside an already built trainer, so that it builds nothing
        Path root = scratch.resolve("project");
        Files.createDirectories(root.resolve("submit"));
        Files.createDirectories(root.resolve("target"));
        Files.createDirectories(root.resolve("src/main"));
        Files.createDirectories(root.resolve("conf"));
        for (String file : List.of("submit/local.sh", "submit/native-env.sh", "conf/java17.args", "pom.xml")) {
            Files.copy(Path.of(file), root.resolve(file));
        }
        Files.writeString(root.resolve("target/classpath.txt"), "");
        Files.writeString(root.resolve("target/fashion-trainer.jar"), "");
        Path bin = Files.createDirectories(scratch.resolve("bin"));
        Path java = Files.writeString(bin.resolve("java"), "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        String path = bin + ":" + System.getenv("PATH");

        Outcome withGcLog = bash(Map.of("PATH", path, "TRAINER_JAVA_OPTS", "-verbose:gc"), "bash",
                root.resolve("submit/local.sh").toString(), "--epochs", "1");
        assertEquals(0, withGcLog.code(), withGcLog.output());
        List<String> args = withGcLog.output().lines().toList();
        assertTrue(args.contains("-Xmx8g") && args.contains("-verbose:gc"), args.toString());

        Outcome smaller = bash(Map.of("PATH", path, "TRAINER_JAVA_OPTS", "-Xmx2g"), "bash",
                root.resolve("submit/local.sh").toString());
        List<String> heap = smaller.output().lines().filter(a -> a.startsWith("-Xmx")).toList();
        assertEquals(List.of("-Xmx8g", "-Xmx2g"), heap, "the JVM takes the last -Xmx: the user's");
    }
}
