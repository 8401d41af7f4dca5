package dev.fashiontrainer.cli;

import dev.fashiontrainer.ExitCodes;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import dev.fashiontrainer.data.InputImage;
import dev.fashiontrainer.data.InputImages;
import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.eval.Prediction;
import dev.fashiontrainer.eval.Predictor;
import dev.fashiontrainer.rundir.OutputException;
import dev.fashiontrainer.report.PredictionsCsv;
import dev.fashiontrainer.rundir.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fashion-trainer predict --model run/model.zip --images DIR_OR_IDX}: classifies images with a saved model
 * and writes one CSV row per image with the predicted class, its name and its probability. Prediction runs in
 * this process: a few thousand forward passes take about a second, less than starting Spark executors.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = VersionProvider.class,
        description = {"Classifies images with a trained model.zip and writes CSV: " + PredictionsCsv.HEADER
                + " (label only with --labels).", ""},
        footer = ExitCodes.HELP)
public final class PredictCommand implements Callable<Integer> {

    @Mixin
    ModelOption model;

    @Option(names = "--images", paramLabel = "PATH", required = true,
            description = "An IDX images file (.gz or plain), or a directory of 28x28 grayscale PNGs (light object"
                    + " on a dark background, as in Fashion-MNIST), read in name order.")
    String images;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "The IDX labels file belonging to an IDX --images file: fills the label column and"
                    + " prints the accuracy.")
    String labels;

    @Option(names = "--output", paramLabel = "FILE",
            description = "Where to write the CSV (written whole or not at all). Default: standard output.")
    String output;

    @Override
    public Integer call() {
        Configuration hadoop = new Configuration();
        MultiLayerNetwork network = model.load(hadoop);
        List<InputImage> inputs = InputImages.read(new Path(images), labels == null ? null : new Path(labels), hadoop);
        List<Prediction> predictions = Predictor.predict(network, inputs);

        if (output == null) {
            PredictionsCsv.write(System.out, inputs, predictions, LabeledImages.CLASS_NAMES);
            System.out.flush();
        } else {
            Path target = qualified(new Path(output), hadoop);
            RunDirectory.open(target.getParent().toString(), hadoop)
                    .writeAtomically(target.getName(), stream -> PredictionsCsv.write(stream, inputs, predictions,
                            LabeledImages.CLASS_NAMES));
        }
        System.err.printf("Predicted %d images%s%n", inputs.size(), accuracy(inputs, predictions));
        return ExitCodes.OK;
    }

    private static Path qualified(Path path, Configuration hadoop) {
        try {
            return path.getFileSystem(hadoop).makeQualified(path);
        } catch (IOException e) {
            throw new OutputException(path + ": no file system for it (" + e.getMessage()
                    + "); pass --output with a writable location", e);
        }
    }

    private static String accuracy(List<InputImage> inputs, List<Prediction> predictions) {
        if (inputs.isEmpty() || !inputs.get(0).isLabeled()) {
            return "";
        }
        long correct = 0;
        for (int i = 0; i < inputs.size(); i++) {
            correct += inputs.get(i).label() == predictions.get(i).predicted() ? 1 : 0;
        }
        return String.format("; %d correct (%.2f%%)", correct, 100.0 * correct / inputs.size());
    }
}
