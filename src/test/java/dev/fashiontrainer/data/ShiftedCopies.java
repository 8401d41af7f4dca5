package dev.fashiontrainer.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.hadoop.conf.Configuration;

/**
 * Makes a larger training set for scale tests and benchmarks: Fashion-MNIST's 60,000 training images followed by
 * {@code factor - 1} copies, each shifted by a pixel or two (so no two copies are the same images), written as
 * plain IDX files next to a copy of the test set. Nothing of it is committed: it goes to a directory the caller
 * names (a temporary one).
 *
 * <p>From a shell, on the test classpath: {@code java -cp ... dev.fashiontrainer.data.ShiftedCopies SOURCE_DIR
 * TARGET_DIR 10} (600,000 images, 470 MB).
 */
public final class ShiftedCopies {
    private static final int SIDE = 28;

    private ShiftedCopies() {
    }

    /**
     * @param args source directory (Fashion-MNIST, plain or gzipped), target directory, factor
     */
    public static void main(String[] args) throws IOException {
        write(Path.of(args[0]), Path.of(args[1]), Integer.parseInt(args[2]));
    }

    /**
     * Writes {@code factor} times the training set into {@code target} ({@code train-images-idx3-ubyte} and
     * {@code train-labels-idx1-ubyte}, plain) with the test set's two files beside them.
     *
     * @param source a directory with Fashion-MNIST's four files
     * @param target where to write (created when missing)
     * @param factor how many copies, the first unshifted
     * @return {@code target}
     */
    public static Path write(Path source, Path target, int factor) throws IOException {
        FashionMnist data = FashionMnist.read(new org.apache.hadoop.fs.Path(source.toUri()), new Configuration(),
                false);
        LabeledImages train = data.train();
        int count = train.size() * factor;
        Files.createDirectories(target);
        try (OutputStream images = new BufferedOutputStream(
                Files.newOutputStream(target.resolve(FashionMnistFile.TRAIN_IMAGES.baseName())), 1 << 20);
             OutputStream labels = new BufferedOutputStream(
                Files.newOutputStream(target.resolve(FashionMnistFile.TRAIN_LABELS.baseName())), 1 << 16)) {
            images.write(ByteBuffer.allocate(16).putInt(IdxFile.IMAGES_MAGIC).putInt(count).putInt(SIDE)
                    .putInt(SIDE).array());
            labels.write(ByteBuffer.allocate(8).putInt(IdxFile.LABELS_MAGIC).putInt(count).array());
            for (int copy = 0; copy < factor; copy++) {
                // copy 0 as it is; then right/left/down/up by one pixel, then by two, ...
                int step = (copy + 3) / 4;
                int dx = copy == 0 ? 0 : switch (copy % 4) { case 1 -> step; case 2 -> -step; default -> 0; };
                int dy = copy == 0 ? 0 : switch (copy % 4) { case 3 -> step; case 0 -> -step; default -> 0; };
                for (int i = 0; i < train.size(); i++) {
                    images.write(shifted(train.imageBytes(i), dx, dy));
                    labels.write(train.label(i));
                }
            }
        }
        for (FashionMnistFile file : new FashionMnistFile[] {FashionMnistFile.TEST_IMAGES,
                FashionMnistFile.TEST_LABELS}) {
            Path plain = source.resolve(file.baseName());
            Path from = Files.exists(plain) ? plain : source.resolve(file.gzipName());
            Files.copy(from, target.resolve(from.getFileName()));
        }
        return target;
    }

    private static byte[] shifted(byte[] image, int dx, int dy) {
        byte[] out = new byte[image.length];
        for (int y = 0; y < SIDE; y++) {
            int fromY = y - dy;
            if (fromY < 0 || fromY >= SIDE) {
                continue;
            }
            for (int x = 0; x < SIDE; x++) {
                int fromX = x - dx;
                if (fromX >= 0 && fromX < SIDE) {
                    out[y * SIDE + x] = image[fromY * SIDE + fromX];
                }
            }
        }
        return out;
    }
}
