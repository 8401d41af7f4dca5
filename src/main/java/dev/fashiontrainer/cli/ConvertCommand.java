package dev.fashiontrainer.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import dev.fashiontrainer.ExitCodes;
import dev.fashiontrainer.config.ConfigException;
import dev.fashiontrainer.data.ClassNames;
import dev.fashiontrainer.data.DataDirectory;
import dev.fashiontrainer.data.DataLocator;
import dev.fashiontrainer.data.Downloader;
import dev.fashiontrainer.data.ExampleBlock;
import dev.fashiontrainer.data.IdxTrainingSet;
import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.data.ParquetImages;
import dev.fashiontrainer.data.SetShape;
import dev.fashiontrainer.data.TrainingData;
import dev.fashiontrainer.data.TrainingSource;
import dev.fashiontrainer.data.VectorSet;
import dev.fashiontrainer.rundir.OutputException;
import dev.fashiontrainer.spark.SparkApplication;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fashion-trainer convert}: writes any data set {@code --data} reads (or an IDX pair) as Parquet data sets
 * that {@code --data} reads back the same: Fashion-MNIST's images as {@code index} long, {@code label} int,
 * {@code image} 784 bytes; any other data as {@code index}, {@code features} vectors and {@code label} with its
 * class names in the column's metadata. The training set is read and written by the executors.
 */
@Command(name = "convert", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = VersionProvider.class,
        description = {"Converts a data set to Parquet: the training and test sets of --data (IDX pairs, LibSVM"
                + " text, Parquet) into OUTPUT/" + DataDirectory.TRAIN_PARQUET + " and OUTPUT/"
                + DataDirectory.TEST_PARQUET + " (a directory that --data accepts), or any --images/--labels pair"
                + " into the data set OUTPUT. Fashion-MNIST's images: index (long, the example's number), label"
                + " (int, 0-9), image (binary, 784 pixel bytes). Any other data: index, features (vector), label"
                + " (int, its class names in the column's ML attribute metadata).", ""},
        footer = ExitCodes.HELP)
public final class ConvertCommand implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory with a training and a test set in any form training reads (--help of the"
                    + " train command). Otherwise Fashion-MNIST, found as for training.")
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

    @Option(names = "--class-names", paramLabel = "NAME,...", split = ",",
            description = "The classes' names, by label, for data whose label column does not name them (as for"
                    + " training); written into the label column's metadata.")
    List<String> classNames;

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
            IdxTrainingSet set = IdxTrainingSet.open(spark, new Path(images), new Path(labels), null, null, 0);
            List<String> names = ClassNames.decide(set.shape(), images, set.shape(), images, classNames);
            write(set.blocks(), set.shape().width(), names, out);
            System.err.printf("Wrote %d examples of %s to %s%n", set.size(), images, out);
            return;
        }
        Path directory = new DataLocator(spark.hadoopConfiguration(), System.getenv(), Downloader.UPSTREAM,
                System.err).locate(data);
        DataDirectory sets = new DataDirectory(spark, directory, verify);
        TrainingSource train = sets.training(0);
        LabeledImages test = sets.test(0);
        String testLocation = new Path(directory, sets.testName()).toString();
        List<String> names = ClassNames.decide(train.shape(), train.location(), SetShape.of(test), testLocation,
                classNames);
        write(train.blocks(), test.width(), names, new Path(out, DataDirectory.TRAIN_PARQUET));
        System.err.printf("Wrote %d examples of %s to %s%n", train.size(), train.location(),
                new Path(out, DataDirectory.TRAIN_PARQUET));
        List<ExampleBlock> testBlocks = new ArrayList<>();
        for (int from = 0; from < test.size(); from += TrainingData.BLOCK_SIZE) {
            testBlocks.add(ExampleBlock.numberedFrom(from,
                    test.slice(from, Math.min(TrainingData.BLOCK_SIZE, test.size() - from))));
        }
        write(spark.parallelize(testBlocks, testBlocks.size()), test.width(), names,
                new Path(out, DataDirectory.TEST_PARQUET));
        System.err.printf("Wrote %d examples of %s to %s%n", test.size(), testLocation,
                new Path(out, DataDirectory.TEST_PARQUET));
    }

    /**
     * Fashion-MNIST's images keep their compact form (784 bytes, {@link ParquetImages#SCHEMA}); any other data is
     * written as feature vectors with its class names ({@link VectorSet#write}).
     */
    private static void write(JavaRDD<ExampleBlock> blocks, int width, List<String> names, Path out) {
        if (width == LabeledImages.PIXELS && names.equals(LabeledImages.CLASS_NAMES)) {
            ParquetImages.write(JavaSparkContext.fromSparkContext(blocks.context()), blocks, out);
        } else {
            VectorSet.write(blocks, names, out);
        }
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
