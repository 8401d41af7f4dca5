package dev.fashiontrainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.fashiontrainer.TestData;

class FashionMnistTest {
    private final Configuration hadoop = new Configuration();

    @TempDir
    Path dir;

    private FashionMnist read(boolean verify) {
        return FashionMnist.read(new org.apache.hadoop.fs.Path(dir.toUri()), hadoop, verify);
    }

    @Test
    void theRealDataSetHasTheKnownSizesDigestsAndBalancedClasses() {
        FashionMnist data = TestData.fashionMnist();
        assertEquals(60000, data.train().size());
        assertEquals(10000, data.test().size());
        for (FashionMnistFile file : FashionMnistFile.values()) {
            assertEquals(file.sha256(), data.digests().get(file));
        }
        int[] perClass = new int[10];
        for (int i = 0; i < data.test().size(); i++) {
            perClass[data.test().label(i)]++;
        }
        int[] thousandEach = new int[10];
        Arrays.fill(thousandEach, 1000);
        assertEquals(Arrays.toString(thousandEach), Arrays.toString(perClass));
    }

    @Test
    void aSmallDataSetReadsWithoutChecksums() throws IOException {
        IdxFixtures.writeDataSet(dir, 30, 20);
        FashionMnist data = read(false);
        assertEquals(30, data.train().size());
        assertEquals(20, data.test().size());
        assertEquals(7, data.train().label(17));
        assertEquals((5 + 9) / 255f, data.train().pixel(5, 9), 1e-7);
    }

    @Test
    void checksumMismatchNamesTheFile() throws IOException {
        IdxFixtures.writeDataSet(dir, 30, 20);
        DataException e = assertThrows(DataException.class, () -> read(true));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz: checksum mismatch: expected SHA-256 "
                + FashionMnistFile.TRAIN_IMAGES.sha256()), e.getMessage());
    }

    @Test
    void imageAndLabelCountsMustAgree() throws IOException {
        IdxFixtures.writeDataSet(dir, 30, 20);
        IdxFixtures.write(dir, FashionMnistFile.TRAIN_LABELS.gzipName(), IdxFixtures.gzip(IdxFixtures.labels(29)));
        DataException e = assertThrows(DataException.class, () -> read(false));
        assertTrue(e.getMessage().contains("holds 30 images but") && e.getMessage().contains("holds 29 labels"),
                e.getMessage());
    }

    /** Issue 24: an IDX pair holds any classes its label bytes name; Fashion-MNIST's digests guard its own. */
    @Test
    void aLabelBeyondNineMakesMoreClasses() throws IOException {
        IdxFixtures.writeDataSet(dir, 30, 20);
        byte[] labels = IdxFixtures.labels(20);
        labels[8 + 13] = 10;
        IdxFixtures.write(dir, FashionMnistFile.TEST_LABELS.gzipName(), IdxFixtures.gzip(labels));
        assertEquals(11, read(false).test().classes());
        assertEquals(10, read(false).train().classes());
    }

    @Test
    void aMissingFileIsNamed() throws IOException {
        IdxFixtures.writeDataSet(dir, 30, 20);
        Files.delete(dir.resolve(FashionMnistFile.TEST_IMAGES.gzipName()));
        DataException e = assertThrows(DataException.class, () -> read(false));
        assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte.gz: file not found"), e.getMessage());
    }

    @Test
    void plainFilesAreFoundAsWellAsGzippedOnes() throws IOException {
        IdxFixtures.writeDataSet(dir, 30, 20);
        Files.delete(dir.resolve(FashionMnistFile.TEST_IMAGES.gzipName()));
        IdxFixtures.write(dir, FashionMnistFile.TEST_IMAGES.baseName(), IdxFixtures.images(20));
        assertEquals(20, read(false).test().size());
    }
}
