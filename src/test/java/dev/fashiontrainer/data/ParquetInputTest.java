package dev.fashiontrainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fashiontrainer.CommandRun;
import dev.fashiontrainer.ExitCodes;
import dev.fashiontrainer.TestData;
import dev.fashiontrainer.TestSpark;
import dev.fashiontrainer.TrainingRun;
import dev.fashiontrainer.report.Json;

/** The converter writes Fashion-MNIST as Parquet; a run from it is the run from the IDX files, to 1e-9. */
class ParquetInputTest {
    @TempDir
    static Path work;

    private static CommandRun run(String... args) {
        CommandRun run = CommandRun.of(List.of(args));
        assertEquals(ExitCodes.OK, run.code(), run.stderr());
        return run;
    }

    private static JsonNode metrics(Path runDirectory) throws IOException {
        return Json.mapper().readTree(runDirectory.resolve(TrainingRun.METRICS_FILE).toFile());
    }

    @Test
    void aRunFromTheConvertedParquetDataSetsReachesTheIdxRunsMetrics() throws IOException {
        Path parquet = work.resolve("fashion-parquet");
        run("convert", "--data=" + TestData.directory(), "--output=" + parquet);
        assertTrue(Files.isDirectory(parquet.resolve(DataDirectory.TRAIN_PARQUET)));
        assertTrue(Files.isDirectory(parquet.resolve(DataDirectory.TEST_PARQUET)));

        // mixed: Parquet training set, IDX test set
        Path mixed = work.resolve("mixed");
        Files.createDirectories(mixed);
        Files.createSymbolicLink(mixed.resolve(DataDirectory.TRAIN_PARQUET),
                parquet.resolve(DataDirectory.TRAIN_PARQUET));
        for (FashionMnistFile file : List.of(FashionMnistFile.TEST_IMAGES, FashionMnistFile.TEST_LABELS)) {
            Path plain = Path.of(TestData.directory(), file.baseName());
            Path source = Files.exists(plain) ? plain : Path.of(TestData.directory(), file.gzipName());
            Files.createSymbolicLink(mixed.resolve(source.getFileName()), source);
        }

        List<JsonNode> results = new ArrayList<>();
        for (String data : new String[] {TestData.directory(), parquet.toString(), mixed.toString()}) {
            Path output = work.resolve("run-" + results.size());
            CommandRun trained = run("--data=" + data, "--output=" + output, "--train-limit=3000",
                    "--test-limit=1000", "--epochs=2", "--workers=2", "--reshuffle");
            assertTrue(trained.stderr().contains("read by the executors"), trained.stderr());
            results.add(metrics(output));
        }
        for (JsonNode other : results.subList(1, results.size())) {
            assertEquals(2, other.size());
            for (int e = 0; e < 2; e++) {
                for (String field : new String[] {"train_loss", "test_loss", "test_accuracy"}) {
                    assertEquals(results.get(0).get(e).get(field).asDouble(), other.get(e).get(field).asDouble(),
                            1e-9, "epoch " + (e + 1) + " " + field);
                }
            }
        }
    }

    @Test
    void aParquetDataSetWithoutAnImageColumnIsRefusedNamingIt() throws IOException {
        Path data = work.resolve("wrong");
        SparkSession spark = SparkSession.builder().sparkContext(TestSpark.context().sc()).getOrCreate();
        spark.range(5).withColumnRenamed("id", "label").write()
                .parquet(data.resolve(DataDirectory.TRAIN_PARQUET).toString());
        CommandRun run = CommandRun.of(List.of("--data=" + data, "--output=" + work.resolve("wrong-run"),
                "--epochs=1"));
        assertEquals(ExitCodes.DATA, run.code(), run.stderr());
        assertTrue(run.errorLine().matches("error: .*train\\.parquet: no column image \\(expected .*"),
                run.errorLine());
    }
}
