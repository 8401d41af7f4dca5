package dev.fashiontrainer.cli;

import java.io.IOException;
import java.util.concurrent.Callable;

import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;

import dev.fashiontrainer.ExitCodes;
import dev.fashiontrainer.config.ConfigException;
import dev.fashiontrainer.data.DataDirectory;
import dev.fashiontrainer.data.DataLocator;
import dev.fashiontrainer.data.Downloader;
import dev.fashiontrainer.data.FashionMnist;
import dev.fashiontrainer.data.FashionMnistFile;
import dev.fashiontrainer.data.IdxTrainingSet;
import dev.fashiontrainer.data.ParquetImages;
import dev.fashiontrainer.rundir.OutputException;
import dev.fashiontrainer.spark.SparkApplication;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fashion-trainer convert}: writes IDX files as Parquet data sets in the schema {@code --data} reads
 * ({@code index} long, {@code label} int, {@code image} 784 bytes), read and written by the executors.
 */
@Command(name = "convert", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = VersionProvider.class,
        description = {"Converts IDX files to Parquet: the Fashion-MNIST pairs of --data into OUTPUT/"
                + DataDirectory.TRAIN_PARQUET + " and OUTPUT/" + DataDirectory.TEST_PARQUET + " (a directory that"
                + " --data accepts), or any --images/--labels pair into the data set OUTPUT. Columns: index (long,"
                + " the example's number), label (int, 0-9), image (binary, 784 pixel bytes).", ""},
        footer = ExitCodes.HELP)
public final class ConvertCommand implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory with the four Fashion-MNIST files (.gz or plain). Otherwise found as for"
                    + " training.")
    String data;

    @Option(names = "--images", paramLabel = "FILE",
            description = "An IDX images file (.gz or plain) to convert instead; needs --labels.")
    String images;

    @Option(names = "--labels", paramLabel = "FILE", description = "The IDX labels file belonging to --images.")
    String labels;

    @Option(names = "--output", paramLabel = "DIR", required = true,
            description = "Where the Parquet data set(s) go (any Hadoop location); must not exist yet.")
    String output;

    @Option(names = "--verify", negatable = true, fallbackValue = "true",
            description = "Check Fashion-MNIST's files against the published SHA-256 digests."
                    + " Default: ${DEFAULT-VALUE}.")
    boolean verify;

    @Override
    public Integer call() {
        if ((images == null) != (labels == null)) {
            throw new ConfigException("--images and --labels go together, found only "
                    + (images != null ? "--images" : "--labels"));
        }
        SparkApplication.run(2, this::convert);
        return ExitCodes.OK;
    }

    private void convert(JavaSparkContext spark) {
        Path out = new Path(output);
        refuseExisting(spark, out);
        if (images != null) {
            write(spark, new Path(images), new Path(labels), null, null, out);
            return;
        }
        Path directory = new DataLocator(spark.hadoopConfiguration(), System.getenv(), Downloader.UPSTREAM,
                System.err).locate(data);
        convertPair(spark, directory, FashionMnistFile.TRAIN_IMAGES, FashionMnistFile.TRAIN_LABELS,
                new Path(out, DataDirectory.TRAIN_PARQUET));
        convertPair(spark, directory, FashionMnistFile.TEST_IMAGES, FashionMnistFile.TEST_LABELS,
                new Path(out, DataDirectory.TEST_PARQUET));
    }

    private void convertPair(JavaSparkContext spark, Path directory, FashionMnistFile imagesFile,
                             FashionMnistFile labelsFile, Path out) {
        write(spark, FashionMnist.locate(directory, imagesFile, spark.hadoopConfiguration()),
                FashionMnist.locate(directory, labelsFile, spark.hadoopConfiguration()),
                verify ? imagesFile : null, verify ? labelsFile : null, out);
    }

    private static void write(JavaSparkContext spark, Path imagesPath, Path labelsPath, FashionMnistFile imagesFile,
                              FashionMnistFile labelsFile, Path out) {
        IdxTrainingSet set = IdxTrainingSet.open(spark, imagesPath, labelsPath, imagesFile, labelsFile, 0);
        ParquetImages.write(spark, set.blocks(), out);
        System.err.printf("Wrote %d examples of %s to %s%n", set.size(), imagesPath, out);
    }

    private static void refuseExisting(JavaSparkContext spark, Path out) {
        try {
            if (out.getFileSystem(spark.hadoopConfiguration()).exists(out)) {
                throw new ConfigException(out + " already exists; choose another --output or delete it");
            }
        } catch (IOException e) {
            throw new OutputException(out + ": cannot be checked: " + e.getMessage(), e);
        }
    }
}
