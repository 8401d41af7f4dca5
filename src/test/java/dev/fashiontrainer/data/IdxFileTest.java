package dev.fashiontrainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.fashiontrainer.TestData;

class IdxFileTest {
    private final Configuration hadoop = new Configuration();

    @TempDir
    Path dir;

    private IdxFile read(Path file, int magic) {
        return IdxFile.read(new org.apache.hadoop.fs.Path(file.toUri()), hadoop, magic);
    }

    @Test
    void readsPlainAndGzippedFilesToTheSameBytes() throws IOException {
        byte[] content = IdxFixtures.images(5);
        IdxFile plain = read(IdxFixtures.write(dir, "plain", content), IdxFile.IMAGES_MAGIC);
        IdxFile gzipped = read(IdxFixtures.write(dir, "gzipped.gz", IdxFixtures.gzip(content)), IdxFile.IMAGES_MAGIC);

        assertArrayEquals(new int[] {5, 28, 28}, plain.dimensions());
        assertArrayEquals(plain.payload(), gzipped.payload());
        assertEquals(plain.sha256(), gzipped.sha256());
        assertEquals((byte) (3 + 100), plain.payload()[3 * 784 + 100]);
    }

    @Test
    void gzipIsRecognisedByContentNotName() throws IOException {
        byte[] content = IdxFixtures.labels(12);
        IdxFile file = read(IdxFixtures.write(dir, "labels-without-suffix", IdxFixtures.gzip(content)),
                IdxFile.LABELS_MAGIC);
        assertArrayEquals(Arrays.copyOfRange(content, 8, content.length), file.payload());
    }

    @Test
    void missingFileIsNamed() {
        DataException e = assertThrows(DataException.class,
                () -> read(dir.resolve("nothing-here.gz"), IdxFile.IMAGES_MAGIC));
        assertTrue(e.getMessage().contains("nothing-here.gz") && e.getMessage().contains("not found"), e.getMessage());
    }

    /**
     * A 1 KB gzip file whose header promises 100,000 images (78 MB, which the heap could hold): deflate cannot
     * expand 1 KB that far, so it is refused from the file's length, before the promised array is allocated.
     */
    @Test
    void aGzipFileTooSmallForItsHeadersPromiseIsRefusedBeforeAllocating() throws IOException {
        byte[] header = ByteBuffer.allocate(16).putInt(IdxFile.IMAGES_MAGIC).putInt(100_000).putInt(28).putInt(28)
                .array();
        byte[] content = Arrays.copyOf(header, header.length + (1 << 20)); // followed by 1 MiB of zeros
        Path file = IdxFixtures.write(dir, "promising.gz", IdxFixtures.gzip(content));
        long length = Files.size(file);

        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        DataException e = assertThrows(DataException.class, () -> read(file, IdxFile.IMAGES_MAGIC));
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;

        assertTrue(e.getMessage().contains(String.format("promising.gz: header promises 78,400,000 bytes of data,"
                + " more than a gzip file of %,d bytes can decompress to (1032 times its size)", length)),
                e.getMessage());
        assertTrue(allocated < 16 << 20, "allocated " + allocated + " bytes to refuse it");
    }

    @Test
    void truncatedGzipIsReported() throws IOException {
        byte[] gz = IdxFixtures.gzip(IdxFixtures.images(50));
        Path file = IdxFixtures.write(dir, "cut.gz", Arrays.copyOf(gz, gz.length / 2));
        DataException e = assertThrows(DataException.class, () -> read(file, IdxFile.IMAGES_MAGIC));
        assertTrue(e.getMessage().startsWith(file.toUri().toString().replace("file:///", "file:/"))
                || e.getMessage().contains("cut.gz"), e.getMessage());
        assertTrue(e.getMessage().contains("truncated gzip"), e.getMessage());
    }

    @Test
    void corruptGzipIsReported() throws IOException {
        byte[] gz = IdxFixtures.gzip(IdxFixtures.images(50));
        for (int i = 20; i < 60; i++) {
            gz[i] = (byte) ~gz[i];
        }
        Path file = IdxFixtures.write(dir, "corrupt.gz", gz);
        DataException e = assertThrows(DataException.class, () -> read(file, IdxFile.IMAGES_MAGIC));
        assertTrue(e.getMessage().contains("corrupt.gz") && e.getMessage().contains("corrupt gzip"), e.getMessage());
    }

    @Test
    void wrongMagicNumberSaysWhatWasExpected() throws IOException {
        Path file = IdxFixtures.write(dir, "labels-as-images", IdxFixtures.labels(10));
        DataException e = assertThrows(DataException.class, () -> read(file, IdxFile.IMAGES_MAGIC));
        assertTrue(e.getMessage().contains("wrong IDX magic number: expected 0x00000803 (images), found 0x00000801"),
                e.getMessage());
    }

    @Test
    void payloadShorterThanHeaderPromisesIsReported() throws IOException {
        byte[] content = IdxFixtures.images(3);
        Path file = IdxFixtures.write(dir, "short", Arrays.copyOf(content, content.length - 10));
        DataException e = assertThrows(DataException.class, () -> read(file, IdxFile.IMAGES_MAGIC));
        assertTrue(e.getMessage().contains("header promises 2352 bytes of data, found 2342"), e.getMessage());
    }

    @Test
    void readsTheRealTrainingLabels() {
        IdxFile labels = IdxFile.read(new org.apache.hadoop.fs.Path(TestData.directory(),
                FashionMnistFile.TRAIN_LABELS.gzipName()), hadoop, IdxFile.LABELS_MAGIC);
        assertArrayEquals(new int[] {60000}, labels.dimensions());
        assertEquals(FashionMnistFile.TRAIN_LABELS.sha256(), labels.sha256());
    }
}
