package dev.fashiontrainer.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;

import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.data.FashionMnist;
import dev.fashiontrainer.data.Partitioner;
import dev.fashiontrainer.data.TrainingShard;
import dev.fashiontrainer.eval.DistributedEvaluator;
import dev.fashiontrainer.model.NetworkFactory;
import dev.fashiontrainer.train.Dl4jEngine;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * DL4J's own distributed trainer as a user would run it: {@link ParameterAveragingTrainingMaster} with its
 * defaults (the Export approach, which writes the data set to temporary files first; default prefetching and
 * repartitioning; ND4J's default native threads and platform helpers), on the same shards, network, minibatch
 * size and averaging period (once per epoch) as our trainer. Only the batch size and averaging period are set.
 */
@Command(name = "dl4j-peer", mixinStandardHelpOptions = true,
        description = "Times DL4J's ParameterAveragingTrainingMaster with default settings; takes trainer flags.")
public final class Dl4jPeer implements Callable<Integer> {
    @Unmatched
    List<String> trainerArgs = new ArrayList<>();

    /** Runs the measurement; prints a result line. */
    public static void main(String[] args) {
        BenchmarkMain.exit(new Dl4jPeer(), args);
    }

    @Override
    public Integer call() {
        TrainerFlags flags = TrainerFlags.parse(trainerArgs);
        TrainingConfig config = flags.config();
        FashionMnist data = flags.data();
        List<TrainingShard> shards = Partitioner.split(flags.train(data), config.workers(), config.shuffle(),
                config.seed());
        int largest = shards.stream().mapToInt(s -> s.images().size()).max().orElseThrow();

        SparkConf sparkConf = new SparkConf().setAppName("dl4j-peer")
                .setIfMissing("spark.master", "local[" + config.workers() + "]");
        List<Double> seconds = new ArrayList<>();
        double accuracy;
        try (JavaSparkContext spark = new JavaSparkContext(sparkConf)) {
            spark.setLogLevel("WARN");
            JavaRDD<DataSet> minibatches = Dl4jEngine.minibatches(spark.parallelize(shards, shards.size()),
                    config.batchSize());
            ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(config.batchSize())
                    .batchSizePerWorker(config.batchSize())
                    .averagingFrequency(config.batchesPerRound(largest))
                    .build();
            SparkDl4jMultiLayer network = new SparkDl4jMultiLayer(spark, NetworkFactory.create(config), master);
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                long begin = System.nanoTime();
                network.fit(minibatches);
                seconds.add((System.nanoTime() - begin) / 1e9);
                System.err.printf("DL4J default epoch %d: %.1f s%n", epoch, seconds.get(epoch - 1));
            }
            // evaluated once at the end, with our evaluator, only to show it trained the same network
            try (DistributedEvaluator evaluator = new DistributedEvaluator(spark,
                    NetworkFactory.configuration(config), flags.test(data), config.workers())) {
                accuracy = evaluator.evaluate(network.getNetwork()).accuracy();
            }
            master.deleteTempFiles(spark);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("epoch_seconds", seconds);
        result.put("test_accuracy", accuracy);
        result.put("omp_num_threads", String.valueOf(System.getenv("OMP_NUM_THREADS")));
        Results.emit(result);
        return 0;
    }
}
