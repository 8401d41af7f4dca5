package dev.fashiontrainer.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes small IDX files for tests: images filled with a recognisable pattern, labels cycling through 0-9.
 */
public final class IdxFixtures {
    private IdxFixtures() {
    }

    /** @return IDX bytes of {@code count} 28x28 images whose pixel p of image i is (i + p) mod 256 */
    static byte[] images(int count) {
        ByteBuffer buffer = ByteBuffer.allocate(16 + count * 784);
        buffer.putInt(IdxFile.IMAGES_MAGIC).putInt(count).putInt(28).putInt(28);
        for (int i = 0; i < count; i++) {
            for (int p = 0; p < 784; p++) {
                buffer.put((byte) (i + p));
            }
        }
        return buffer.array();
    }

    /** @return IDX bytes of {@code count} labels, label i being i mod 10 */
    static byte[] labels(int count) {
        ByteBuffer buffer = ByteBuffer.allocate(8 + count);
        buffer.putInt(IdxFile.LABELS_MAGIC).putInt(count);
        for (int i = 0; i < count; i++) {
            buffer.put((byte) (i % 10));
        }
        return buffer.array();
    }

    /** @return {@code content} gzipped */
    static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content);
        }
        return bytes.toByteArray();
    }

    /** Writes {@code content} to {@code dir/name} and returns the path. */
    static Path write(Path dir, String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    /** Writes a complete, small data set (the four names, gzipped) into {@code dir}. */
    public static void writeDataSet(Path dir, int trainCount, int testCount) throws IOException {
        write(dir, FashionMnistFile.TRAIN_IMAGES.gzipName(), gzip(images(trainCount)));
        write(dir, FashionMnistFile.TRAIN_LABELS.gzipName(), gzip(labels(trainCount)));
        write(dir, FashionMnistFile.TEST_IMAGES.gzipName(), gzip(images(testCount)));
        write(dir, FashionMnistFile.TEST_LABELS.gzipName(), gzip(labels(testCount)));
    }
}
