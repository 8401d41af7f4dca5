package dev.fashiontrainer.data;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The directory {@code --data} names, holding a training set and a test set, each in the first of these forms
 * found: a Parquet data set {@value #TRAIN_PARQUET} / {@value #TEST_PARQUET} (labelled feature vectors, as
 * {@link VectorSet} reads them, when it has a {@value VectorSet#FEATURES} column, else images in
 * {@link ImageFrames}' schema); a LibSVM text file {@value LibSvmFiles#TRAIN} / {@value LibSvmFiles#TEST}; an IDX
 * pair (plain or gzipped, Fashion-MNIST's file names). The training set stays where it is, for the executors to
 * read; the test set is read by the driver, which evaluates and predicts with it.
 */
public final class DataDirectory {
    /** The training set as Parquet, in {@link VectorSet}'s or {@link ImageFrames}' schema. */
    public static final String TRAIN_PARQUET = "train.parquet";
    /** The test set as Parquet, in {@link VectorSet}'s or {@link ImageFrames}' schema. */
    public static final String TEST_PARQUET = "test.parquet";

    private final JavaSparkContext spark;
    private final Path directory;
    private final boolean verify;
    private final Map<String, String> digests = new LinkedHashMap<>();
    private LibSvmFiles.Frames libSvm;

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
     * @return the training set, checked and measured but not read
     * @throws DataException naming the file or column when something is missing or wrong
     */
    public TrainingSource training(int limit) {
        Path parquet = new Path(directory, TRAIN_PARQUET);
        if (exists(parquet)) {
            return openParquet(parquet, limit);
        }
        if (exists(new Path(directory, LibSvmFiles.TRAIN))) {
            return VectorSet.open(libSvm().train(), new Path(directory, LibSvmFiles.TRAIN).toString(), limit);
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
     * @return the test set, on the driver, as examples of the classes its own labels suggest (the data set's
     *     classes are decided with the training set: {@link ClassNames#decide})
     * @throws DataException naming the file or column when something is missing or wrong
     */
    public LabeledImages test(int limit) {
        return onDriver(TEST_PARQUET, LibSvmFiles.TEST, FashionMnistFile.TEST_IMAGES, FashionMnistFile.TEST_LABELS,
                limit);
    }

    /**
     * The training set read by the driver, for {@code --validation-split}, which must pick its held-out sample
     * before the workers' split is made.
     *
     * @param limit keep the first {@code limit} examples only; 0 for all
     * @return the training set, on the driver
     * @throws DataException naming the file or column when something is missing or wrong
     */
    public LabeledImages trainingOnDriver(int limit) {
        return onDriver(TRAIN_PARQUET, LibSvmFiles.TRAIN, FashionMnistFile.TRAIN_IMAGES,
                FashionMnistFile.TRAIN_LABELS, limit);
    }

    /** @return the test set's file name in the directory (as read by {@link #test}), for its predictions' rows */
    public String testName() {
        for (String name : new String[] {TEST_PARQUET, LibSvmFiles.TEST}) {
            if (exists(new Path(directory, name))) {
                return name;
            }
        }
        return FashionMnistFile.TEST_IMAGES.baseName();
    }

    private LabeledImages onDriver(String parquetName, String libSvmName, FashionMnistFile imageFile,
                                   FashionMnistFile labelFile, int limit) {
        Path parquet = new Path(directory, parquetName);
        Path libSvmFile = new Path(directory, libSvmName);
        LabeledImages set;
        if (exists(parquet)) {
            set = openParquet(parquet, limit).collect();
        } else if (exists(libSvmFile)) {
            Dataset<Row> rows = libSvmName.equals(LibSvmFiles.TRAIN) ? libSvm().train() : libSvm().test();
            set = VectorSet.open(rows, libSvmFile.toString(), limit).collect();
        } else {
            Map<FashionMnistFile, String> read = new LinkedHashMap<>();
            set = FashionMnist.readPair(directory, spark.hadoopConfiguration(), verify, read, imageFile, labelFile);
            read.forEach((file, sha256) -> digests.put(file.baseName(), sha256));
        }
        return limit > 0 ? set.head(limit) : set;
    }

    private TrainingSource openParquet(Path path, int limit) {
        Dataset<Row> frame = ParquetImages.read(spark, path);
        return VectorSet.holdsVectors(frame.schema()) ? VectorSet.open(frame, path.toString(), limit)
                : ParquetImages.open(frame, path.toString(), limit);
    }

    /** Both LibSVM files, read together: the test labels are mapped to the training file's classes. */
    private LibSvmFiles.Frames libSvm() {
        if (libSvm == null) {
            libSvm = LibSvmFiles.read(SparkSession.builder().sparkContext(spark.sc()).getOrCreate(),
                    new Path(directory, LibSvmFiles.TRAIN), new Path(directory, LibSvmFiles.TEST));
        }
        return libSvm;
    }

    private boolean exists(Path path) {
        try {
            return path.getFileSystem(spark.hadoopConfiguration()).exists(path);
        } catch (IOException e) {
            throw new DataException(path + ": cannot be listed: " + e.getMessage(), e);
        }
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
