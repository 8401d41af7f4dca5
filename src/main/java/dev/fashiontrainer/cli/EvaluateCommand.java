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
        description = {"Evaluates a trained model.zip on labelled examples (the test set of --data in any form training"
                + " reads, an IDX pair, or by default the Fashion-MNIST test set)"
                + " across the Spark executors and prints the seed's test lines, per-class precision and recall"
                + " and the confusion matrix.", ""},
        footer = ExitCodes.HELP)
public final class EvaluateCommand implements Callable<Integer> {

    @Mixin
    ModelOption model;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory with the test set in any form training reads: test.parquet (features and label,"
                    + " or images), test.libsvm beside train.libsvm, or an IDX pair of any image size"
                    + " (docs/inputs.md). Otherwise Fashion-MNIST, found as for training.")
    String data;

    @Option(names = "--verify", negatable = true, fallbackValue = "true",
            description = "Check Fashion-MNIST's IDX files against the published SHA-256 digests (--no-verify for"
                    + " IDX files of your own). Default: ${DEFAULT-VALUE}.")
    boolean verify = true;

    @Option(names = "--images", paramLabel = "FILE",
            description = "An IDX images file (.gz or plain, the model's image size) to evaluate instead of the test"
                    + " set; needs --labels.")
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
        String source;
        String described;
        LabeledImages all;
        if (images != null) {
            source = images;
            described = images;
            all = FashionMnist.readPair(new Path(images), new Path(labels), hadoop);
        } else {
            Path directory = new DataLocator(hadoop, System.getenv(), Downloader.UPSTREAM, System.err).locate(data);
            DataDirectory sets = new DataDirectory(spark, directory, verify);
            all = sets.test(0);
            source = new Path(directory, sets.testName()).toString();
            described = "the test set in " + directory;
        }
        MultiLayerNetwork network = model.loadFor(hadoop, all.width());
        LabeledImages test = ModelOption.asClassesOf(network, limit > 0 ? all.head(limit) : all, source);
        if (test.size() == 0) {
            throw new DataException(source + ": holds no images; nothing to evaluate");
        }
        System.err.printf("Model: %s%nImages: %s (%d)%n", model.location, described, test.size());

        EvaluationResult result;
        try (DistributedEvaluator evaluator = new DistributedEvaluator(spark,
                network.getLayerWiseConfigurations(), test, workers)) {
            result = evaluator.evaluate(network);
        }
        ConsoleReport report = new ConsoleReport(System.out, workers);
        report.testResult(result);
        report.note(String.format("Correct: %d of %d (%.2f%%)", result.correct(), result.examples(),
                100 * result.accuracy()));
        report.finalEvaluation(result, model.classNames(network, hadoop));
    }
}
