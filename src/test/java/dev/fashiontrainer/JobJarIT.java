package dev.fashiontrainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;

/**
 * The job jar of this build is self-consistent for its Spark line: it carries no Scala classes (the cluster's Spark
 * brings its own Scala), no jar built for another Scala version (their {@code META-INF/maven} entries name it), and
 * DL4J's Spark module only on Scala 2.12, the one version it exists for.
 */
class JobJarIT {
    private static final Pattern SCALA_ARTIFACT = Pattern.compile("^META-INF/maven/[^/]+/[^/]+_(2\\.1\\d)/pom\\.properties$");

    @Test
    void theJobJarHoldsOnlyThisScalaVersionsArtifacts() throws IOException {
        String scala = System.getProperty("cluster.scalaBinaryVersion");
        Path jar = Path.of(System.getProperty("cluster.jobJar"));
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            List<String> names = zip.stream().map(ZipEntry::getName).toList();
            assertTrue(names.contains("dev/fashiontrainer/cli/FashionTrainer.class"), jar + " lacks the trainer");
            List<String> scalaClasses = names.stream().filter(n -> n.startsWith("scala/")).limit(5).toList();
            assertEquals(List.of(), scalaClasses, jar + " carries Scala's own classes");
            List<String> otherScala = names.stream().filter(n -> {
                Matcher m = SCALA_ARTIFACT.matcher(n);
                return m.matches() && !m.group(1).equals(scala);
            }).toList();
            assertEquals(List.of(), otherScala, jar + " carries artifacts for another Scala version than " + scala);
            boolean dl4jSpark = names.stream().anyMatch(n -> n.startsWith("org/deeplearning4j/spark/"));
            assertEquals(scala.equals("2.12"), dl4jSpark, jar + ": DL4J's Spark module, for Scala 2.12 only");
            assertEquals(scala.equals("2.12"), names.contains("dev/fashiontrainer/train/Dl4jEngine.class"),
                    jar + ": the DL4J engine, in the Scala 2.12 build only");
        }
    }
}
