package dev.fashiontrainer.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.util.TaskCompletionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fashiontrainer.spark.HadoopSettings;

/**
 * A training set in an IDX pair (images and labels, plain or gzipped) that the executors read themselves.
 *
 * <p>The driver reads the images file's header (images of any rows x columns) and the labels (one byte per
 * example) to check counts and find the largest label; the images file is hashed (and its length checked) by one
 * executor task that streams it. The
 * examples are read by the executors: a plain images file in byte ranges of {@value #RECORDS_PER_TASK} images,
 * one task each, seeking to its range; a gzipped one cannot be entered in the middle, so one task streams it
 * whole, handing blocks to the shuffle as it goes (decompress it once with {@code gunzip}, or convert it to
 * Parquet, for parallel reads of a large set).
 */
public final class IdxTrainingSet implements TrainingSource {
    /** Images per read task of a plain (uncompressed) file: 12.8 MB. */
    public static final int RECORDS_PER_TASK = 16384;

    private static final int IMAGES_HEADER = IdxFile.headerBytes(IdxFile.IMAGES_MAGIC);
    private static final int LABELS_HEADER = IdxFile.headerBytes(IdxFile.LABELS_MAGIC);
    private static final Logger LOG = LoggerFactory.getLogger(IdxTrainingSet.class);

    private final JavaSparkContext spark;
    private final HadoopSettings hadoop;
    private final Path images;
    private final Path labels;
    private final boolean gzipped;
    private final int size;
    private final SetShape shape;
    private final Map<String, String> digests;

    private IdxTrainingSet(JavaSparkContext spark, Path images, Path labels, boolean gzipped, int size,
                           SetShape shape, Map<String, String> digests) {
        this.spark = spark;
        this.hadoop = new HadoopSettings(spark.hadoopConfiguration());
        this.images = images;
        this.labels = labels;
        this.gzipped = gzipped;
        this.size = size;
        this.shape = shape;
        this.digests = digests;
    }

    /**
     * Checks the pair without reading its images on the driver.
     *
     * @param spark the application's context (the images are hashed on an executor)
     * @param imagesPath the images file
     * @param labelsPath the labels file
     * @param imagesFile the Fashion-MNIST file whose published digest the images must have, or null
     * @param labelsFile likewise for the labels
     * @param limit train on the first {@code limit} examples only; 0 for all
     * @return the training set, ready to be split
     * @throws DataException naming the file when anything is missing or wrong
     */
    public static IdxTrainingSet open(JavaSparkContext spark, Path imagesPath, Path labelsPath,
                                      FashionMnistFile imagesFile, FashionMnistFile labelsFile, int limit) {
        IdxFile labelFile = IdxFile.read(labelsPath, spark.hadoopConfiguration(), IdxFile.LABELS_MAGIC);
        Header header = readHeader(spark, imagesPath);
        int count = labelFile.dimensions()[0];
        int width = FashionMnist.checkShape(imagesPath.toString(), header.dimensions(), labelFile);
        StreamDigest imagesDigest = spark.parallelize(List.of(imagesPath.toString()), 1)
                .map(streamDigest(new HadoopSettings(spark.hadoopConfiguration())))
                .collect().get(0);
        if (imagesDigest.failure() != null) {
            throw new DataException(imagesDigest.failure());
        }
        IdxFile.checkPayload(imagesPath.toString(), header.dimensions(), imagesDigest.bytes() - IMAGES_HEADER);
        Map<String, String> digests = new LinkedHashMap<>();
        digests.put(imagesPath.getName().replaceFirst("\\.gz$", ""), imagesDigest.sha256());
        digests.put(labelsPath.getName().replaceFirst("\\.gz$", ""), labelFile.sha256());
        if (imagesFile != null) {
            FashionMnist.checkDigest(imagesPath.toString(), imagesDigest.sha256(), imagesFile);
        }
        if (labelsFile != null) {
            FashionMnist.checkDigest(labelFile.location(), labelFile.sha256(), labelsFile);
        }
        int size = limit > 0 ? Math.min(limit, count) : count;
        SetShape shape = new SetShape(width, true, LabeledImages.largestLabel(labelFile.payload()), List.of());
        return new IdxTrainingSet(spark, imagesPath, labelsPath, header.gzipped(), size, shape, digests);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public String location() {
        return images.toString();
    }

    @Override
    public Map<String, String> digests() {
        return Map.copyOf(digests);
    }

    @Override
    public SetShape shape() {
        return shape;
    }

    /** @return the examples, numbered, as the executors read them: byte ranges, or one stream when gzipped */
    @Override
    public JavaRDD<ExampleBlock> blocks() {
        List<int[]> ranges = new ArrayList<>();
        int perTask = gzipped ? size : RECORDS_PER_TASK;
        for (int from = 0; from < size; from += perTask) {
            ranges.add(new int[] {from, Math.min(size, from + perTask)});
        }
        return spark.parallelize(ranges, ranges.size())
                .flatMap(readRange(hadoop, images.toString(), labels.toString(), shape.width(),
                        ClassNames.fromData(shape)))
                .setName("read " + images);
    }

    private record Header(int[] dimensions, boolean gzipped) {
    }

    private static Header readHeader(JavaSparkContext spark, Path path) {
        try {
            FileSystem fs = path.getFileSystem(spark.hadoopConfiguration());
            try (BufferedInputStream raw = new BufferedInputStream(fs.open(path), IMAGES_HEADER + 2)) {
                boolean gzipped = IdxFile.isGzip(raw);
                InputStream in = gzipped ? new java.util.zip.GZIPInputStream(raw) : raw;
                byte[] header = in.readNBytes(IMAGES_HEADER);
                if (header.length < IMAGES_HEADER) {
                    throw new DataException(path + ": too short for an IDX header: expected at least "
                            + IMAGES_HEADER + " bytes, found " + header.length);
                }
                return new Header(IdxFile.parseHeader(path.toString(), ByteBuffer.wrap(header),
                        IdxFile.IMAGES_MAGIC), gzipped);
            }
        } catch (IOException e) {
            throw IdxFile.readFailure(path.toString(), e);
        }
    }

    /**
     * What an executor found streaming a file: its decompressed length and SHA-256, or why it could not.
     *
     * @param bytes decompressed length
     * @param sha256 hex digest of the decompressed bytes
     * @param failure the error line naming the file, or null
     */
    record StreamDigest(long bytes, String sha256, String failure) implements Serializable {
    }

    // Static factories, so the closures capture only plain values.

    private static Function<String, StreamDigest> streamDigest(HadoopSettings hadoop) {
        return location -> {
            Path path = new Path(location);
            MessageDigest digest = IdxFile.newSha256();
            try (InputStream in = new DigestInputStream(IdxFile.open(path.getFileSystem(hadoop.get()), path),
                    digest)) {
                long bytes = in.transferTo(OutputStream.nullOutputStream());
                return new StreamDigest(bytes, HexFormat.of().formatHex(digest.digest()), null);
            } catch (IOException e) {
                return new StreamDigest(0, null, IdxFile.readFailure(location, e).getMessage());
            }
        };
    }

    private static FlatMapFunction<int[], ExampleBlock> readRange(HadoopSettings hadoop, String imagesLocation,
                                                                  String labelsLocation, int width, int classes) {
        return range -> new RangeReader(hadoop, imagesLocation, labelsLocation, width, classes, range[0], range[1]);
    }

    /**
     * Reads examples {@code [from, to)} in blocks, lazily, so a task holds one block at a time. Its files are closed
     * when it reaches its end, and in any case when its task ends: a task that fails, is cancelled or stops early
     * (a {@code take}) never reaches the end, and an executor serves many tasks.
     */
    private static final class RangeReader implements Iterator<ExampleBlock> {
        private final String imagesLocation;
        private final String labelsLocation;
        private final InputStream imagesIn;
        private final InputStream labelsIn;
        private final int width;
        private final int classes;
        private final int to;
        private int next;

        RangeReader(HadoopSettings hadoop, String imagesLocation, String labelsLocation, int width, int classes,
                    int from, int to) throws IOException {
            this.imagesLocation = imagesLocation;
            this.labelsLocation = labelsLocation;
            this.imagesIn = closedWithTheTask(openAt(hadoop, imagesLocation,
                    IMAGES_HEADER + (long) from * width), imagesLocation);
            this.labelsIn = closedWithTheTask(openAt(hadoop, labelsLocation, LABELS_HEADER + (long) from),
                    labelsLocation);
            this.width = width;
            this.classes = classes;
            this.next = from;
            this.to = to;
        }

        @Override
        public boolean hasNext() {
            if (next < to) {
                return true;
            }
            close();
            return false;
        }

        @Override
        public ExampleBlock next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            int count = Math.min(TrainingData.BLOCK_SIZE, to - next);
            byte[] pixels = readExactly(imagesIn, count * width, imagesLocation);
            byte[] labelBytes = readExactly(labelsIn, count, labelsLocation);
            ExampleBlock block = ExampleBlock.numberedFrom(next,
                    LabeledImages.ofPixels(width, classes, pixels, labelBytes));
            next += count;
            return block;
        }

        private void close() {
            try {
                imagesIn.close();
                labelsIn.close();
            } catch (IOException e) {
                throw IdxFile.readFailure(imagesLocation, e);
            }
        }

        private static InputStream closedWithTheTask(InputStream in, String location) {
            TaskContext.get().addTaskCompletionListener((TaskCompletionListener) task -> {
                try {
                    in.close(); // again after the end: closing a closed stream does nothing
                } catch (IOException e) {
                    // everything was read, or the task has failed already: nothing to fail for
                    LOG.warn("{}: closing the file at the end of task {} failed", location, task.taskAttemptId(), e);
                }
            });
            return in;
        }

        private static byte[] readExactly(InputStream in, int length, String location) {
            try {
                byte[] bytes = in.readNBytes(length);
                if (bytes.length < length) {
                    throw new DataException(location + ": ends early: expected " + length + " more bytes, found "
                            + bytes.length + " (file truncated?)");
                }
                return bytes;
            } catch (IOException e) {
                throw IdxFile.readFailure(location, e);
            }
        }

        /** A plain file is entered at {@code offset} by seeking; a gzipped one is decompressed up to it. */
        private static InputStream openAt(HadoopSettings hadoop, String location, long offset) throws IOException {
            Path path = new Path(location);
            FileSystem fs = path.getFileSystem(hadoop.get());
            BufferedInputStream probe = new BufferedInputStream(fs.open(path), 2);
            if (IdxFile.isGzip(probe)) {
                probe.close();
                InputStream in = IdxFile.open(fs, path);
                in.skipNBytes(offset);
                return in;
            }
            probe.close();
            FSDataInputStream in = fs.open(path);
            in.seek(offset);
            return new BufferedInputStream(in, 1 << 16);
        }
    }
}
