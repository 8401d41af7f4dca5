package dev.fashiontrainer.data;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The directory {@code --data} names, holding a training set and a test set, each either as its IDX pair (plain
 * or gzipped, Fashion-MNIST's file names) or as a Parquet data set named {@value #TRAIN_PARQUET} or
 * {@value #TEST_PARQUET} (which wins when both are there). The training set stays where it is, for the executors
 * to read; the test set (10,000 images) is read by the driver, which evaluates and predicts with it.
 */
public final class DataDirectory {
    /** The training set as Parquet, in {@link ImageFrames}' schema. */
    public static final String TRAIN_PARQUET = "train.parquet";
    /** The test set as Parquet, in {@link ImageFrames}' schema. */
    public static final String TEST_PARQUET = "test.parquet";

    private final JavaSparkContext spark;
    private final Path directory;
    private final boolean verify;
    private final Map<String, String> digests = new LinkedHashMap<>();

    /**
     * @param spark the application's context
     * @param directory where the data sets are
     * @param verify compare Fashion-MNIST's IDX files with their published SHA-256
     */
    public DataDirectory(JavaSparkContext spark, Path directory, boolean verify) {
        this.spark = spark;
        this.directory = directory;
        this.verify = verify;
    }

    /**
     * @param limit train on examples {@code 0..limit-1} only; 0 for all
     * @return the training set, checked but not read
     * @throws DataException naming the file or column when something is missing or wrong
     */
    public TrainingSource training(int limit) {
        Path parquet = new Path(directory, TRAIN_PARQUET);
        if (ParquetImages.exists(parquet, spark)) {
            return ParquetImages.open(spark, parquet, limit);
        }
        Path images = FashionMnist.locate(directory, FashionMnistFile.TRAIN_IMAGES, spark.hadoopConfiguration());
        Path labels = FashionMnist.locate(directory, FashionMnistFile.TRAIN_LABELS, spark.hadoopConfiguration());
        IdxTrainingSet set = IdxTrainingSet.open(spark, images, labels,
                verify ? FashionMnistFile.TRAIN_IMAGES : null, verify ? FashionMnistFile.TRAIN_LABELS : null, limit);
        digests.putAll(set.digests());
        return set;
    }

    /**
     * @param limit keep the first {@code limit} examples only; 0 for all
     * @return the test set, on the driver
     * @throws DataException naming the file or column when something is missing or wrong
     */
    public LabeledImages test(int limit) {
        Path parquet = new Path(directory, TEST_PARQUET);
        LabeledImages test;
        if (ParquetImages.exists(parquet, spark)) {
            test = ParquetImages.open(spark, parquet, limit).collect();
        } else {
            Map<FashionMnistFile, String> read = new LinkedHashMap<>();
            test = FashionMnist.readPair(directory, spark.hadoopConfiguration(), verify, read,
                    FashionMnistFile.TEST_IMAGES, FashionMnistFile.TEST_LABELS);
            read.forEach((file, sha256) -> digests.put(file.baseName(), sha256));
        }
        return limit > 0 ? test.head(limit) : test;
    }

    /** @return where the data sets are */
    public Path directory() {
        return directory;
    }

    /** @return SHA-256 of the decompressed content of every IDX file read so far, by file name without .gz */
    public Map<String, String> digests() {
        return Map.copyOf(digests);
    }
}
