package dev.fashiontrainer.cluster;

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
import java.util.stream.Collectors;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import dev.fashiontrainer.config.Choice;
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
 * The driver of the scaling measurement ({@code bench/ScalingBench}, {@link NamespaceClusterIT}), run in the
 * driver's namespace of a {@link NamespaceCluster} by {@link #run}: for every link rate, network and reduction path it
 * times the
 * trainer's own engine and evaluator against the cluster's workers, with little data per worker so that the two
 * cores measure communication. One averaging round's cost is the difference between an epoch of
 * {@value #BATCHES} rounds (one minibatch each) and an epoch of one round over the same minibatches, divided by
 * {@value #BATCHES} - 1: the compute is the same in both and cancels. Appends one JSON object per measurement.
 *
 * <p>Arguments: {@code LINKS_ID WORKERS RATES_GBIT LAYERS[;LAYERS...] PATHS TIMED_EPOCHS OUTPUT DATA_DIR}.
 */
public final class ScalingDriver {
    /** Minibatches per worker and epoch. */
    static final int BATCHES = 6;
    private static final int BATCH = 64;
    /** Timed epochs (after one warm-up) of the scaling measurement; their median is the figure. */
    public static final int TIMED_EPOCHS = 3;
    private static final int TEST_IMAGES = 2000;

    private ScalingDriver() {
    }

    /**
     * Runs this driver in the cluster's driver namespace, in a JVM of its own, and waits for it.
     *
     * @param cluster the cluster whose workers it measures
     * @param rates link rates in Gbit/s, each set on every link in turn
     * @param networks MLlib's layer lists
     * @param paths the reduction paths to time
     * @param timedEpochs epochs timed after the warm-up, of which the median counts ({@link #TIMED_EPOCHS} for the
     *     scaling measurement)
     * @param data Fashion-MNIST's directory
     * @return the measurements, one map per JSON line (kinds {@code round} and, with one worker, {@code compute})
     * @throws IOException when the driver's output cannot be read
     * @throws IllegalStateException when the driver fails (its log is in the cluster's directory)
     */
    public static List<Map<String, Object>> run(NamespaceCluster cluster, List<Double> rates, List<String> networks,
                                                List<ReductionKind> paths, int timedEpochs, Path data)
            throws IOException, InterruptedException {
        Path output = cluster.directory().resolve("measured.jsonl");
        Files.deleteIfExists(output);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("@" + SubmittedJob.projectRoot().resolve("conf/java17.args"));
        command.addAll(List.of("-Xmx3g", "-Dspark.master=" + cluster.masterUrl(), "-Dspark.app.name=scaling",
                "-Dspark.ui.enabled=false", "-Dspark.executor.memory=640m", "-Dspark.executor.memoryOverhead=512m",
                // the job jar is on every host's disk here: executors read it there instead of fetching 169 MB
                // from the driver over the limited links before the first task (a real cluster pays that once)
                "-Dspark.executor.extraClassPath=" + Path.of(System.getProperty("cluster.jobJar",
                        "target/fashion-trainer-job.jar")).toAbsolutePath(),
                "-Dlog4j2.configurationFile=" + SubmittedJob.projectRoot().resolve("conf/log4j2.properties"),
                "-cp", System.getProperty("java.class.path"), ScalingDriver.class.getName(),
                cluster.links().id(), String.valueOf(cluster.workers()),
                rates.stream().map(String::valueOf).collect(Collectors.joining(",")), String.join(";", networks),
                paths.stream().map(ReductionKind::cliName).collect(Collectors.joining(",")),
                String.valueOf(timedEpochs), output.toAbsolutePath().toString(), data.toString()));
        Path log = cluster.directory().resolve("scaling-driver.log");
        ProcessBuilder builder = new ProcessBuilder(cluster.driverCommand(command)).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        cluster.environment(builder.environment());
        int code = builder.start().waitFor();
        if (code != 0) {
            throw new IllegalStateException("the scaling driver failed with code " + code + "; see " + log);
        }
        List<Map<String, Object>> measured = new ArrayList<>();
        for (String line : Files.readAllLines(output)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> values = Json.mapper().readValue(line, LinkedHashMap.class);
            measured.add(values);
        }
        return measured;
    }

    /** @param args see the class comment */
    public static void main(String[] args) {
        String linksId = args[0];
        int workers = Integer.parseInt(args[1]);
        double[] rates = Arrays.stream(args[2].split(",")).mapToDouble(Double::parseDouble).toArray();
        List<String> networks = List.of(args[3].split(";"));
        List<ReductionKind> paths = Arrays.stream(args[4].split(",")).map(p -> Choice.parse(ReductionKind.class, p))
                .toList();
        int timedEpochs = Integer.parseInt(args[5]);
        Path output = Path.of(args[6]);
        FashionMnist data = FashionMnist.read(new org.apache.hadoop.fs.Path(Path.of(args[7]).toUri()),
                new Configuration(), false);
        NamespaceLinks links = NamespaceLinks.existing(linksId, workers);
        SparkApplication.run(2, spark -> {
            for (double rate : rates) {
                links.limit((long) (rate * 1e9));
                for (String layers : networks) {
                    for (ReductionKind path : paths) {
                        append(output, measure(spark, data, workers, rate, layers, path, timedEpochs));
                    }
                    if (workers == 1) { // the compute per example, for the model: one worker, one round, more data
                        append(output, compute(spark, data, rate, layers, timedEpochs));
                    }
                }
            }
        });
    }

    private static Map<String, Object> measure(JavaSparkContext spark, FashionMnist data, int workers, double rate,
                                               String layers, ReductionKind path, int timedEpochs) {
        TrainingConfig many = config(workers, layers, path, 1, timedEpochs);
        TrainingConfig one = config(workers, layers, path, 0, timedEpochs);
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

    private static Map<String, Object> compute(JavaSparkContext spark, FashionMnist data, double rate, String layers,
                                               int timedEpochs) {
        int examples = 50 * BATCH;
        TrainingConfig one = config(1, layers, ReductionKind.DIRECT, 0, timedEpochs);
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

    private static TrainingConfig config(int workers, String layers, ReductionKind path, int frequency,
                                         int timedEpochs) {
        return TrainingConfig.defaults(null).with("workers", workers).with("layers", layers)
                .with("reduction", path.cliName()).with("averagingFrequency", frequency).with("epochs", timedEpochs + 1)
                .build();
    }

    // One warm-up epoch, then the median of the others.
    private static double medianEpoch(JavaSparkContext spark, TrainingConfig config, LabeledImages train) {
        TrainingData shards = TrainingData.fromDriver(spark, train, SplitPlan.of(train.size(), config));
        MultiLayerNetwork model = NetworkFactory.create(config);
        List<Double> seconds = new ArrayList<>();
        try (TrainingEngine engine = TrainingEngine.create(spark, config, shards)) {
            shards.load();
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
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
            for (int i = 0; i < config.epochs(); i++) {
                long start = System.nanoTime();
                evaluator.evaluate(model);
                if (i > 0) {
                    seconds.add((System.nanoTime() - start) / 1e9);
                }
            }
        }
        return median(seconds);
    }

    // the lower median: of two timings the smaller, as on a shared machine other work only ever adds time
    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get((sorted.size() - 1) / 2);
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
