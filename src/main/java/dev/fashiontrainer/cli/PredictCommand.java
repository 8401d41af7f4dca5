package dev.fashiontrainer.cli;

import dev.fashiontrainer.ExitCodes;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import dev.fashiontrainer.config.ConfigException;
import dev.fashiontrainer.data.DataDirectory;
import dev.fashiontrainer.data.InputImage;
import dev.fashiontrainer.data.InputImages;
import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.eval.Prediction;
import dev.fashiontrainer.eval.Predictor;
import dev.fashiontrainer.rundir.OutputException;
import dev.fashiontrainer.rundir.RunDirectory;
import dev.fashiontrainer.report.PredictionsCsv;
import dev.fashiontrainer.spark.SparkApplication;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fashion-trainer predict --model run/model.zip --images DIR_OR_IDX} (or {@code --data DIR}): classifies
 * examples with a saved model and writes one CSV row per example with the predicted class, its name and its
 * probability. Images are predicted in this process (a few thousand forward passes take about a second, less than
 * starting Spark); a {@code --data} directory's test set is read with Spark, as training reads it, and predicted
 * here.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = VersionProvider.class,
        description = {"Classifies examples with a trained model.zip and writes CSV: " + PredictionsCsv.HEADER
                + " (label only when the input has labels).", ""},
        footer = ExitCodes.HELP)
public final class PredictCommand implements Callable<Integer> {

    @Mixin
    ModelOption model;

    @Option(names = "--images", paramLabel = "PATH",
            description = "An IDX images file (.gz or plain) of the model's image size, or a directory of grayscale"
                    + " PNGs of that size (28x28 for Fashion-MNIST; light object on a dark background), read in"
                    + " name order.")
    String images;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "The IDX labels file belonging to an IDX --images file: fills the label column and"
                    + " prints the accuracy.")
    String labels;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Instead of --images: a directory holding a test set in any form training reads"
                    + " (test.parquet with features or images, test.libsvm beside train.libsvm, or an IDX pair;"
                    + " docs/inputs.md); its labels fill the label column.")
    String data;

    @Option(names = "--verify", negatable = true, fallbackValue = "true",
            description = "With --data: check Fashion-MNIST's IDX files against the published SHA-256 digests"
                    + " (--no-verify for IDX files of your own). Default: ${DEFAULT-VALUE}.")
    boolean verify = true;

    @Option(names = "--output", paramLabel = "FILE",
            description = "Where to write the CSV (written whole or not at all). Default: standard output.")
    String output;

    @Override
    public Integer call() {
        if ((images == null) == (data == null)) {
            throw new ConfigException("pass either --images or --data, found " + (images == null ? "neither"
                    : "both"));
        }
        if (data != null && labels != null) {
            throw new ConfigException("--labels goes with an IDX --images file; a --data directory has its labels");
        }
        if (images != null) {
            Configuration hadoop = new Configuration();
            MultiLayerNetwork network = model.load(hadoop);
            int width = (int) network.layerInputSize(0);
            List<InputImage> inputs = InputImages.read(new Path(images), labels == null ? null : new Path(labels),
                    hadoop, width);
            List<Prediction> predictions = Predictor.predict(network, inputs, ModelOption.classesOf(network));
            List<String> names = model.classNames(network, hadoop);
            write(hadoop, stream -> PredictionsCsv.write(stream, inputs, predictions, names));
            System.err.printf("Predicted %d images%s%n", inputs.size(), accuracy(predictions,
                    inputs.isEmpty() || !inputs.get(0).isLabeled() ? null : inputs.stream().mapToInt(InputImage::label)
                            .toArray()));
        } else {
            SparkApplication.run(1, this::predictTestSet);
        }
        return ExitCodes.OK;
    }

    /** Reads the {@code --data} directory's test set with Spark and predicts it here. */
    private void predictTestSet(JavaSparkContext spark) {
        Configuration hadoop = spark.hadoopConfiguration();
        DataDirectory directory = new DataDirectory(spark, new Path(data), verify);
        LabeledImages read = directory.test(0);
        String source = directory.testName();
        MultiLayerNetwork network = model.loadFor(hadoop, read.width());
        LabeledImages test = ModelOption.asClassesOf(network, read, new Path(data, source).toString());
        List<Prediction> predictions = Predictor.predict(network, test);
        List<String> names = model.classNames(network, hadoop);
        write(hadoop, stream -> PredictionsCsv.write(stream, source, test, predictions, names));
        int[] labelsRead = new int[test.size()];
        for (int i = 0; i < labelsRead.length; i++) {
            labelsRead[i] = test.label(i);
        }
        System.err.printf("Predicted %d examples of %s%s%n", test.size(), source, accuracy(predictions, labelsRead));
    }

    private void write(Configuration hadoop, RunDirectory.ContentWriter csv) {
        if (output == null) {
            try {
                csv.writeTo(System.out);
            } catch (IOException e) {
                throw new OutputException("standard output: " + e.getMessage(), e);
            }
            System.out.flush();
        } else {
            Path target = qualified(new Path(output), hadoop);
            RunDirectory.open(target.getParent().toString(), hadoop).writeAtomically(target.getName(), csv);
        }
    }

    private static Path qualified(Path path, Configuration hadoop) {
        try {
            return path.getFileSystem(hadoop).makeQualified(path);
        } catch (IOException e) {
            throw new OutputException(path + ": no file system for it (" + e.getMessage()
                    + "); pass --output with a writable location", e);
        }
    }

    /** @return "; N correct (P%)" when the labels are known (non-null), else nothing */
    private static String accuracy(List<Prediction> predictions, int[] labels) {
        if (labels == null || labels.length == 0) {
            return "";
        }
        long correct = 0;
        for (int i = 0; i < labels.length; i++) {
            correct += labels[i] == predictions.get(i).predicted() ? 1 : 0;
        }
        return String.format("; %d correct (%.2f%%)", correct, 100.0 * correct / labels.length);
    }
}
