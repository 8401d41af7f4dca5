package dev.fashiontrainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.fashiontrainer.ObservedFileSystem;
import dev.fashiontrainer.TestSpark;

/** Executors read their own records from IDX files, plain (byte ranges) or gzipped (one stream). */
class IdxTrainingSetTest {
    private static final int COUNT = IdxTrainingSet.RECORDS_PER_TASK + 1000; // two read tasks when plain

    @TempDir
    Path dir;

    private static org.apache.hadoop.fs.Path hadoopPath(Path path) {
        return new org.apache.hadoop.fs.Path(path.toUri());
    }

    private IdxTrainingSet open(byte[] images, byte[] labels, int limit) throws IOException {
        JavaSparkContext spark = TestSpark.context();
        return IdxTrainingSet.open(spark, hadoopPath(IdxFixtures.write(dir, "images", images)),
                hadoopPath(IdxFixtures.write(dir, "labels", labels)), null, null, limit);
    }

    private static void assertShardsOf(LabeledImages all, TrainingData data) {
        List<TrainingShard> expected = Partitioner.split(all, data.plan().workers(), true, 5);
        List<TrainingShard> actual = data.shards().collect();
        for (int w = 0; w < expected.size(); w++) {
            LabeledImages e = expected.get(w).images();
            LabeledImages a = actual.get(w).images();
            assertEquals(e.size(), a.size());
            for (int i = 0; i < e.size(); i += 7) {
                assertArrayEquals(e.imageBytes(i), a.imageBytes(i), "shard " + w + " image " + i);
                assertEquals(e.label(i), a.label(i));
            }
        }
    }

    @Test
    void plainAndGzippedFilesGiveTheShardsOfTheFilesReadWhole() throws IOException {
        byte[] images = IdxFixtures.images(COUNT);
        byte[] labels = IdxFixtures.labels(COUNT);
        LabeledImages all = FashionMnist.readPair(hadoopPath(IdxFixtures.write(dir, "all-images", images)),
                hadoopPath(IdxFixtures.write(dir, "all-labels", labels)), TestSpark.context().hadoopConfiguration());

        IdxTrainingSet plain = open(images, labels, 0);
        assertEquals(2, plain.blocks().getNumPartitions(), "byte ranges, one task each");
        try (TrainingData data = plain.split(new SplitPlan(COUNT, 3, true, 5))) {
            assertShardsOf(all, data);
        }
        IdxTrainingSet gzipped = open(IdxFixtures.gzip(images), IdxFixtures.gzip(labels), 0);
        assertEquals(1, gzipped.blocks().getNumPartitions(), "one stream");
        try (TrainingData data = gzipped.split(new SplitPlan(COUNT, 3, true, 5))) {
            assertShardsOf(all, data);
        }
        assertEquals(plain.digests().get("images"), gzipped.digests().get("images"), "digest of the content");
    }

    /**
     * A task that stops reading before the end of its range (a {@code take}, as a failed or cancelled task does)
     * still closes its files when it ends: an executor serves many tasks, and each would keep two open otherwise.
     */
    @Test
    void aReaderAbandonedMidwayClosesItsFilesWhenItsTaskEnds() throws IOException {
        JavaSparkContext spark = TestSpark.context();
        ObservedFileSystem.register(spark.hadoopConfiguration());
        IdxTrainingSet set = IdxTrainingSet.open(spark,
                ObservedFileSystem.of(IdxFixtures.write(dir, "images", IdxFixtures.images(COUNT))),
                ObservedFileSystem.of(IdxFixtures.write(dir, "labels", IdxFixtures.labels(COUNT))), null, null, 0);
        int before = ObservedFileSystem.openStreams();

        // the first of the first range's two blocks: its reader never reaches the end
        List<ExampleBlock> first = set.blocks().take(1);

        assertEquals(TrainingData.BLOCK_SIZE, first.get(0).ids().length);
        assertEquals(before, ObservedFileSystem.openStreams(), "streams left open by the task");
    }

    @Test
    void aLimitTakesTheFirstExamples() throws IOException {
        IdxTrainingSet set = open(IdxFixtures.images(300), IdxFixtures.labels(300), 100);
        assertEquals(100, set.size());
        try (TrainingData data = set.split(new SplitPlan(100, 1, false, 0))) {
            LabeledImages shard = data.shards().collect().get(0).images();
            assertArrayEquals(IdxFixtures.images(100), concatWithHeader(shard));
        }
    }

    private static byte[] concatWithHeader(LabeledImages images) {
        byte[] header = Arrays.copyOf(IdxFixtures.images(images.size()), 16);
        byte[] out = Arrays.copyOf(header, 16 + images.size() * LabeledImages.PIXELS);
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(images.imageBytes(i), 0, out, 16 + i * LabeledImages.PIXELS, LabeledImages.PIXELS);
        }
        return out;
    }

    @Test
    void badFilesAreRefusedNamingTheFile() throws IOException {
        byte[] images = IdxFixtures.images(50);
        byte[] truncated = Arrays.copyOf(images, images.length - 100);
        DataException shortPlain = assertThrows(DataException.class, () -> open(truncated, IdxFixtures.labels(50), 0));
        assertEquals(dir.resolve("images").toUri().getPath().replaceAll("/$", "")
                        + ": header promises 39200 bytes of data, found 39100 (file truncated?)",
                stripScheme(shortPlain.getMessage()));

        byte[] gz = IdxFixtures.gzip(images);
        byte[] cut = Arrays.copyOf(gz, gz.length / 2);
        DataException shortGzip = assertThrows(DataException.class, () -> open(cut, IdxFixtures.labels(50), 0));
        assertEquals(true, stripScheme(shortGzip.getMessage()).startsWith(dir.resolve("images") + ": truncated gzip"),
                shortGzip.getMessage());

        DataException counts = assertThrows(DataException.class, () -> open(images, IdxFixtures.labels(49), 0));
        assertEquals(true, counts.getMessage().contains("holds 50 images but"), counts.getMessage());

        // labels beyond 9 are classes of their own now (issue 24): measured, not refused
        byte[] moreLabels = IdxFixtures.labels(50);
        moreLabels[8 + 3] = 12;
        assertEquals(12, open(images, moreLabels, 0).shape().largestLabel());
    }

    @Test
    void aDigestOtherThanFashionMnistsIsRefusedWhenVerifying() throws IOException {
        JavaSparkContext spark = TestSpark.context();
        DataException e = assertThrows(DataException.class, () -> IdxTrainingSet.open(spark,
                hadoopPath(IdxFixtures.write(dir, "images", IdxFixtures.images(20))),
                hadoopPath(IdxFixtures.write(dir, "labels", IdxFixtures.labels(20))),
                FashionMnistFile.TRAIN_IMAGES, FashionMnistFile.TRAIN_LABELS, 0));
        assertEquals(true, stripScheme(e.getMessage()).startsWith(dir.resolve("images")
                + ": checksum mismatch: expected SHA-256 " + FashionMnistFile.TRAIN_IMAGES.sha256()), e.getMessage());
    }

    private static String stripScheme(String message) {
        return message.replaceFirst("^file:", "");
    }
}
