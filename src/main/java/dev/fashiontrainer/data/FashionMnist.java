package dev.fashiontrainer.data;

import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The Fashion-MNIST training and test sets, read from one directory and checked: IDX headers, image and label
 * counts and (unless turned off) the SHA-256 of every decompressed file. Any IDX pair is read the same way: images
 * of any rows x columns (the header says), labels 0-255.
 */
public final class FashionMnist {
    /** The most pixels an image may have: a 4096x4096 image, far beyond what a dense network's input takes. */
    static final int MAX_PIXELS = 1 << 24;

    private final String directory;
    private final LabeledImages train;
    private final LabeledImages test;
    private final Map<FashionMnistFile, String> digests;

    private FashionMnist(String directory, LabeledImages train, LabeledImages test,
                         Map<FashionMnistFile, String> digests) {
        this.directory = directory;
        this.train = train;
        this.test = test;
        this.digests = digests;
    }

    /**
     * Reads the four files from {@code directory}, each as {@code name} or {@code name.gz}.
     *
     * @param directory a Hadoop location ({@code file:}, {@code hdfs:}, {@code s3a:} or a plain path)
     * @param hadoop Hadoop configuration for the file system
     * @param verifyChecksums compare each file with the published SHA-256
     * @return both sets
     * @throws DataException naming the file when anything is missing or wrong
     */
    public static FashionMnist read(Path directory, Configuration hadoop, boolean verifyChecksums) {
        Map<FashionMnistFile, String> digests = new EnumMap<>(FashionMnistFile.class);
        LabeledImages train = readPair(directory, hadoop, verifyChecksums, digests,
                FashionMnistFile.TRAIN_IMAGES, FashionMnistFile.TRAIN_LABELS);
        LabeledImages test = readPair(directory, hadoop, verifyChecksums, digests,
                FashionMnistFile.TEST_IMAGES, FashionMnistFile.TEST_LABELS);
        return new FashionMnist(directory.toString(), train, test, digests);
    }

    /**
     * Reads one images file and its labels file and checks that they belong together.
     *
     * @return the images with their labels
     */
    public static LabeledImages readPair(Path imagesPath, Path labelsPath, Configuration hadoop) {
        IdxFile images = IdxFile.read(imagesPath, hadoop, IdxFile.IMAGES_MAGIC);
        IdxFile labels = IdxFile.read(labelsPath, hadoop, IdxFile.LABELS_MAGIC);
        return combine(images, labels);
    }

    static LabeledImages readPair(Path dir, Configuration hadoop, boolean verify,
                                          Map<FashionMnistFile, String> digests,
                                          FashionMnistFile imagesFile, FashionMnistFile labelsFile) {
        IdxFile images = IdxFile.read(locate(dir, imagesFile, hadoop), hadoop, IdxFile.IMAGES_MAGIC);
        IdxFile labels = IdxFile.read(locate(dir, labelsFile, hadoop), hadoop, IdxFile.LABELS_MAGIC);
        if (verify) {
            checkDigest(images.location(), images.sha256(), imagesFile);
            checkDigest(labels.location(), labels.sha256(), labelsFile);
        }
        digests.put(imagesFile, images.sha256());
        digests.put(labelsFile, labels.sha256());
        return combine(images, labels);
    }

    static LabeledImages combine(IdxFile images, IdxFile labels) {
        int width = checkShape(images.location(), images.dimensions(), labels);
        SetShape shape = new SetShape(width, true, LabeledImages.largestLabel(labels.payload()), List.of());
        return LabeledImages.ofPixels(width, ClassNames.fromData(shape), images.payload(), labels.payload());
    }

    /**
     * Checks that the images have at least one pixel and are as many as the labels.
     *
     * @return pixels per image, rows times columns
     */
    static int checkShape(String imagesLocation, int[] shape, IdxFile labels) {
        long width = (long) shape[1] * shape[2];
        if (width < 1 || width > MAX_PIXELS) {
            throw new DataException(imagesLocation + ": expected images of 1 to " + MAX_PIXELS + " pixels, found "
                    + shape[1] + "x" + shape[2]);
        }
        int count = labels.dimensions()[0];
        if (shape[0] != count) {
            throw new DataException(imagesLocation + " holds " + shape[0] + " images but "
                    + labels.location() + " holds " + count + " labels; they must be the same number");
        }
        return (int) width;
    }

    /** Compares a file's digest, as computed, with the published one. */
    static void checkDigest(String location, String sha256, FashionMnistFile expected) {
        if (!sha256.equals(expected.sha256())) {
            throw new DataException(location + ": checksum mismatch: expected SHA-256 " + expected.sha256()
                    + ", found " + sha256 + "; the file is damaged or not Fashion-MNIST"
                    + " (delete it to fetch it again, or pass --no-verify for a data set of your own)");
        }
    }

    /**
     * @return {@code dir/name} when present, else {@code dir/name.gz} when present
     * @throws DataException when neither exists
     */
    public static Path locate(Path dir, FashionMnistFile file, Configuration hadoop) {
        Path plain = new Path(dir, file.baseName());
        Path gz = new Path(dir, file.gzipName());
        try {
            FileSystem fs = dir.getFileSystem(hadoop);
            if (fs.exists(plain)) {
                return plain;
            }
            if (fs.exists(gz)) {
                return gz;
            }
        } catch (IOException e) {
            throw new DataException(dir + ": cannot be listed: " + e.getMessage(), e);
        }
        throw new DataException(gz + ": file not found (nor " + file.baseName() + "); --data must name a directory"
                + " holding the data set (--help says in which forms)");
    }

    /**
     * @return whether all four files are in {@code dir}, plain or gzipped
     */
    public static boolean isComplete(Path dir, Configuration hadoop) {
        for (FashionMnistFile file : FashionMnistFile.values()) {
            try {
                locate(dir, file, hadoop);
            } catch (DataException e) {
                return false;
            }
        }
        return true;
    }

    /** @return where the files were read from */
    public String directory() {
        return directory;
    }

    /** @return the 60,000 training images */
    public LabeledImages train() {
        return train;
    }

    /** @return the 10,000 test images */
    public LabeledImages test() {
        return test;
    }

    /** @return SHA-256 of each decompressed file as read */
    public Map<FashionMnistFile, String> digests() {
        return Map.copyOf(digests);
    }
}
