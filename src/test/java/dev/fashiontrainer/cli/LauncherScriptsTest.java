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

    /**
     * A copy of the launcher beside an already built trainer of both Spark lines, so that it builds nothing, and a
     * stand-in JVM on the PATH that says it is Java {@code javaVersion} and prints its arguments.
     *
     * @return the environment that runs the copy with that JVM
     */
    private Map<String, String> fakeProject(Path root, int javaVersion) throws IOException {
        for (String dir : List.of("submit", "target/spark4", "src/main", "conf")) {
            Files.createDirectories(root.resolve(dir));
        }
        for (String file : List.of("submit/local.sh", "submit/native-env.sh", "submit/spark-line.sh",
                "conf/java17.args", "pom.xml")) {
            Files.copy(Path.of(file), root.resolve(file));
        }
        for (String jar : List.of("target/fashion-trainer.jar", "target/spark4/fashion-trainer-spark4_2.13.jar")) {
            Files.writeString(root.resolve(jar).resolveSibling("classpath.txt"), "");
            Files.writeString(root.resolve(jar), "");
        }
        Path bin = Files.createDirectories(scratch.resolve("bin"));
        Path java = Files.writeString(bin.resolve("java"), "#!/bin/sh\n"
                + "[ \"$1\" = -XshowSettings:properties ] && { echo '    java.specification.version = " + javaVersion
                + "' >&2; exit 0; }\nfor a in \"$@\"; do echo \"$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        // JAVA_HOME would take precedence over the PATH's java; an empty SPARK_LINE is the default line (the build
        // sets SPARK_LINE to its own for the tests' launchers)
        return Map.of("PATH", bin + ":" + System.getenv("PATH"), "JAVA_HOME", "", "SPARK_LINE", "");
    }

    /** TRAINER_JAVA_OPTS adds to the default heap and overrides it only by naming another -Xmx after it. */
    @Test
    void trainerJavaOptsKeepTheDefaultHeapUnlessTheyNameOne() throws Exception {
        Path root = scratch.resolve("project");
        Map<String, String> java17 = fakeProject(root, 17);

        Outcome withGcLog = bash(with(java17, "TRAINER_JAVA_OPTS", "-verbose:gc"), "bash",
                root.resolve("submit/local.sh").toString(), "--epochs", "1");
        assertEquals(0, withGcLog.code(), withGcLog.output());
        List<String> args = withGcLog.output().lines().toList();
        assertTrue(args.contains("-Xmx8g") && args.contains("-verbose:gc"), args.toString());

        Outcome smaller = bash(with(java17, "TRAINER_JAVA_OPTS", "-Xmx2g"), "bash",
                root.resolve("submit/local.sh").toString());
        List<String> heap = smaller.output().lines().filter(a -> a.startsWith("-Xmx")).toList();
        assertEquals(List.of("-Xmx8g", "-Xmx2g"), heap, "the JVM takes the last -Xmx: the user's");
    }

    /** SPARK_LINE picks the build; a JVM the line does not support is refused in one line, before anything runs. */
    @Test
    void theSparkLinePicksTheJarAndTheJavaVersionsItRunsOn() throws Exception {
        Path root = scratch.resolve("project");
        Map<String, String> java25 = fakeProject(root, 25);
        String local = root.resolve("submit/local.sh").toString();

        Outcome spark35 = bash(java25, "bash", local);
        assertEquals(2, spark35.code(), spark35.output());
        assertEquals("error: Java 25 (java) is not supported by the Spark 3.5 build; use Java 17 (set JAVA_HOME), or"
                + " SPARK_LINE=4 for Java 21 and 25", spark35.output().strip());

        Outcome spark4 = bash(with(java25, "SPARK_LINE", "4"), "bash", local);
        assertEquals(0, spark4.code(), spark4.output());
        assertTrue(spark4.output().contains(root.resolve("target/spark4/fashion-trainer-spark4_2.13.jar") + ":"),
                spark4.output());

        Outcome unknown = bash(with(java25, "SPARK_LINE", "3.4"), "bash", local);
        assertEquals(2, unknown.code(), unknown.output());
        assertEquals("error: SPARK_LINE must be 3.5 or 4, found '3.4'", unknown.output().strip());
    }

    private static Map<String, String> with(Map<String, String> environment, String name, String value) {
        Map<String, String> all = new java.util.HashMap<>(environment);
        all.put(name, value);
        return all;
    }
}
