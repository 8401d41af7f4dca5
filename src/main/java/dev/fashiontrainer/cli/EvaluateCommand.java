package dev.fashiontrainer.cli;

import dev.fashiontrainer.ExitCodes;
import java.util.concurrent.Callable;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import dev.fashiontrainer.spark.SparkApplication;
import dev.fashiontrainer.config.ConfigException;
import dev.fashiontrainer.data.DataException;
import dev.fashiontrainer.data.DataDirectory;
import dev.fashiontrainer.data.DataLocator;
import dev.fashiontrainer.data.Downloader;
import dev.fashiontrainer.data.FashionMnist;
import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.eval.DistributedEvaluator;
import dev.fashiontrainer.eval.EvaluationResult;
import dev.fashiontrainer.report.ConsoleReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fashion-trainer evaluate --model run/model.zip}: the seed's {@code test_loop} for a saved model, run on the
 * Spark executors by the same evaluator that training uses, printing the seed's test lines.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = VersionProvider.class,
        description = {"Evaluates a trained model.zip on labelled images (by default the Fashion-MNIST test set)"
                + " across the Spark executors and prints the seed's test lines, per-class precision and recall"
                + " and the confusion matrix.", ""},
        footer = ExitCodes.HELP)
public final class EvaluateCommand implements Callable<Integer> {

    @Mixin
    ModelOption model;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory with the test set, as for training: Fashion-MNIST's IDX pair (checked against"
                    + " the published SHA-256) or the Parquet data set test.parquet (see 'convert'). Otherwise"
                    + " found as for training.")
    String data;

    @Option(names = "--images", paramLabel = "FILE",
            description = "An IDX images file (.gz or plain) to evaluate instead of the test set; needs --labels.")
    String images;

    @Option(names = "--labels", paramLabel = "FILE", description = "The IDX labels file belonging to --images.")
    String labels;

    @Option(names = "--test-limit", paramLabel = "N",
            description = "Evaluate the first N images only (0: all). Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--workers", paramLabel = "N",
            description = "Partitions of the images, one Spark task each. Default: ${DEFAULT-VALUE}.")
    int workers;

    @Override
    public Integer call() {
        if ((images == null) != (labels == null)) {
            throw new ConfigException("--images and --labels go together, found only "
                    + (images != null ? "--images" : "--labels"));
        }
        if (limit < 0 || workers < 1) {
            throw new ConfigException("--test-limit must be 0 or positive and --workers positive, found "
                    + limit + " and " + workers);
        }
        SparkApplication.run(workers, this::evaluate);
        return ExitCodes.OK;
    }

    /** The seed's {@code test_loop} for the model, on the executors, printed as the seed prints it. */
    private void evaluate(JavaSparkContext spark) {
        Configuration hadoop = spark.hadoopConfiguration();
        MultiLayerNetwork network = model.load(hadoop);
        String source;
        LabeledImages all;
        if (images != null) {
            source = images;
            all = FashionMnist.readPair(new Path(images), new Path(labels), hadoop);
        } else {
            Path directory = new DataLocator(hadoop, System.getenv(), Downloader.UPSTREAM, System.err).locate(data);
            source = "the test set in " + directory;
            all = new DataDirectory(spark, directory, true).test(0);
        }
        LabeledImages test = limit > 0 ? all.head(limit) : all;
        if (test.size() == 0) {
            throw new DataException(source + ": holds no images; nothing to evaluate");
        }
        System.err.printf("Model: %s%nImages: %s (%d)%n", model.location, source, test.size());

        EvaluationResult result;
        try (DistributedEvaluator evaluator = new DistributedEvaluator(spark,
                network.getLayerWiseConfigurations(), test, workers)) {
            result = evaluator.evaluate(network);
        }
        ConsoleReport report = new ConsoleReport(System.out, workers);
        report.testResult(result);
        report.note(String.format("Correct: %d of %d (%.2f%%)", result.correct(), result.examples(),
                100 * result.accuracy()));
        report.finalEvaluation(result, LabeledImages.CLASS_NAMES);
    }
}
