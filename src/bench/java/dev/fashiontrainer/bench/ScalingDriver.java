package dev.fashiontrainer.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import dev.fashiontrainer.cluster.NamespaceLinks;
import dev.fashiontrainer.config.ReductionKind;
import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.data.FashionMnist;
import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.data.SplitPlan;
import dev.fashiontrainer.data.TrainingData;
import dev.fashiontrainer.eval.DistributedEvaluator;
import dev.fashiontrainer.model.NetworkFactory;
import dev.fashiontrainer.report.Json;
import dev.fashiontrainer.spark.SparkApplication;
import dev.fashiontrainer.train.TrainingEngine;

/**
 * The driver of the scaling measurement ({@link ScalingBench}), run in the driver's namespace of a
 * {@link dev.fashiontrainer.cluster.NamespaceCluster}: for every link rate, network and reduction path it times the
 * trainer's own engine and evaluator against the cluster's workers, with little data per worker so that the two
 * cores measure communication. One averaging round's cost is the difference between an epoch of
 * {@value #BATCHES} rounds (one minibatch each) and an epoch of one round over the same minibatches, divided by
 * {@value #BATCHES} - 1: the compute is the same in both and cancels. Appends one JSON object per measurement.
 *
 * <p>Arguments: {@code LINKS_ID WORKERS RATES_GBIT LAYERS[;LAYERS...] OUTPUT DATA_DIR}.
 */
public final class ScalingDriver {
    /** Minibatches per worker and epoch. */
    static final int BATCHES = 6;
    private static final int BATCH = 64;
    private static final int EPOCHS = 3;
    private static final int TEST_IMAGES = 2000;

    private ScalingDriver() {
    }

    /** @param args see the class comment */
    public static void main(String[] args) {
        String linksId = args[0];
        int workers = Integer.parseInt(args[1]);
        double[] rates = Arrays.stream(args[2].split(",")).mapToDouble(Double::parseDouble).toArray();
        List<String> networks = List.of(args[3].split(";"));
        Path output = Path.of(args[4]);
        FashionMnist data = FashionMnist.read(new org.apache.hadoop.fs.Path(Path.of(args[5]).toUri()),
                new Configuration(), false);
        NamespaceLinks links = NamespaceLinks.existing(linksId, workers);
        SparkApplication.run(2, spark -> {
            for (double rate : rates) {
                links.limit((long) (rate * 1e9));
                for (String layers : networks) {
                    for (ReductionKind path : List.of(ReductionKind.DIRECT, ReductionKind.TREE)) {
                        append(output, measure(spark, data, workers, rate, layers, path));
                    }
                    if (workers == 1) { // the compute per example, for the model: one worker, one round, more data
                        append(output, compute(spark, data, rate, layers));
                    }
                }
            }
        });
    }

    private static Map<String, Object> measure(JavaSparkContext spark, FashionMnist data, int workers, double rate,
                                               String layers, ReductionKind path) {
        TrainingConfig many = config(workers, layers, path, 1);
        TrainingConfig one = config(workers, layers, path, 0);
        LabeledImages train = data.train().head(workers * BATCHES * BATCH);
        double manyRounds = medianEpoch(spark, many, train);
        double oneRound = medianEpoch(spark, one, train);
        Map<String, Object> result = base("round", workers, rate, layers, path, one);
        result.put("epoch_seconds_" + BATCHES + "_rounds", manyRounds);
        result.put("epoch_seconds_1_round", oneRound);
        result.put("round_seconds", (manyRounds - oneRound) / (BATCHES - 1));
        result.put("evaluation_seconds", medianEvaluation(spark, one, data.test().head(TEST_IMAGES)));
        result.put("test_images", TEST_IMAGES);
        return result;
    }

    private static Map<String, Object> compute(JavaSparkContext spark, FashionMnist data, double rate, String layers) {
        int examples = 50 * BATCH;
        TrainingConfig one = config(1, layers, ReductionKind.DIRECT, 0);
        Map<String, Object> result = base("compute", 1, rate, layers, ReductionKind.DIRECT, one);
        result.put("examples", examples);
        result.put("epoch_seconds_1_round", medianEpoch(spark, one, data.train().head(examples)));
        return result;
    }

    private static Map<String, Object> base(String kind, int workers, double rate, String layers, ReductionKind path,
                                            TrainingConfig config) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("kind", kind);
        result.put("workers", workers);
        result.put("rate_gbit", rate);
        result.put("layers", layers);
        result.put("parameters", NetworkFactory.create(config).numParams());
        result.put("path", path.cliName());
        result.put("batch_size", BATCH);
        return result;
    }

    private static TrainingConfig config(int workers, String layers, ReductionKind path, int frequency) {
        return TrainingConfig.defaults(null).with("workers", workers).with("layers", layers)
                .with("reduction", path.cliName()).with("averagingFrequency", frequency).with("epochs", EPOCHS + 1)
                .build();
    }

    // One warm-up epoch, then the median of the others.
    private static double medianEpoch(JavaSparkContext spark, TrainingConfig config, LabeledImages train) {
        TrainingData shards = TrainingData.fromDriver(spark, train, SplitPlan.of(train.size(), config));
        MultiLayerNetwork model = NetworkFactory.create(config);
        List<Double> seconds = new ArrayList<>();
        try (TrainingEngine engine = TrainingEngine.create(spark, config, shards)) {
            shards.load();
            for (int epoch = 1; epoch <= EPOCHS + 1; epoch++) {
                long start = System.nanoTime();
                engine.trainEpoch(model, epoch);
                if (epoch > 1) {
                    seconds.add((System.nanoTime() - start) / 1e9);
                }
            }
        }
        return median(seconds);
    }

    private static double medianEvaluation(JavaSparkContext spark, TrainingConfig config, LabeledImages test) {
        MultiLayerNetwork model = NetworkFactory.create(config);
        List<Double> seconds = new ArrayList<>();
        try (DistributedEvaluator evaluator = new DistributedEvaluator(spark, model.getLayerWiseConfigurations(), test,
                config.workers())) {
            evaluator.load();
            for (int i = 0; i <= EPOCHS; i++) {
                long start = System.nanoTime();
                evaluator.evaluate(model);
                if (i > 0) {
                    seconds.add((System.nanoTime() - start) / 1e9);
                }
            }
        }
        return median(seconds);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static void append(Path output, Map<String, Object> result) {
        String line;
        try {
            line = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(result);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        System.err.println("Measured: " + line);
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(output, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND))) {
            out.println(line);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot append to " + output, e);
        }
    }
}
