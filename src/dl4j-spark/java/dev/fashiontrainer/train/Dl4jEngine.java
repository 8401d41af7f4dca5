package dev.fashiontrainer.train;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.data.TrainingData;
import dev.fashiontrainer.data.TrainingShard;

/**
 * The reference engine: DL4J Spark's {@link ParameterAveragingTrainingMaster}. It runs in Direct mode because its
 * default Export mode writes the data set to a shared temporary directory and refuses to run on clusters whose
 * default file system is local. Its averaging period is set so that it averages as often as our engine does.
 */
public final class Dl4jEngine implements TrainingEngine {
    private final TrainingConfig config;
    private final TrainingData data;
    private final JavaRDD<DataSet> minibatches;
    private final JavaSparkContext spark;
    private final ParameterAveragingTrainingMaster master;
    private final int batchesPerWorker;
    private final long examples;
    private SparkDl4jMultiLayer sparkNetwork;

    /**
     * @param spark the application's context
     * @param config the run's settings
     * @param data one shard per worker, on the executors; the engine closes it
     */
    public Dl4jEngine(TrainingConfig config, TrainingData data) {
        this.spark = JavaSparkContext.fromSparkContext(data.shards().context());
        this.config = config;
        this.data = data;
        int largest = data.plan().largestShard();
        // every example once per epoch (full minibatches times workers would count a short last one as full)
        this.examples = data.plan().examples();
        this.batchesPerWorker = (largest + config.batchSize() - 1) / config.batchSize();
        int batchSize = config.batchSize();
        this.minibatches = minibatches(data.shards(), batchSize);
        this.master = new ParameterAveragingTrainingMaster.Builder(
                config.workers(), batchSize)
                .batchSizePerWorker(batchSize)
                .averagingFrequency(config.batchesPerRound(largest))
                .workerPrefetchNumBatches(0)
                .saveUpdater(true)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .rngSeed(config.seed())
                .build();
    }

    @Override
    public EpochResult trainEpoch(MultiLayerNetwork model, int epoch) {
        if (sparkNetwork == null) {
            sparkNetwork = new SparkDl4jMultiLayer(spark, model, master);
        } else if (sparkNetwork.getNetwork() != model) {
            sparkNetwork.setNetwork(model);
        }
        model.setLearningRate(config.learningRateAt(epoch));
        sparkNetwork.fit(minibatches);
        MultiLayerNetwork trained = sparkNetwork.getNetwork();
        if (trained != model) {
            model.setParams(trained.params());
        }
        double loss = sparkNetwork.getScore();
        if (!Double.isFinite(loss)) {
            throw new DivergenceException(epoch, "DL4J's master reported loss " + loss + " in epoch " + epoch);
        }
        int perRound = config.batchesPerRound(batchesPerWorker * config.batchSize());
        int rounds = (batchesPerWorker + perRound - 1) / perRound;
        return new EpochResult(loss, examples, rounds, List.of(), 0);
    }

    /**
     * @param shards one shard per partition, on the executors
     * @param batchSize examples per minibatch
     * @return the shards as DL4J wants its training data: one partition per shard, one {@link DataSet} per
     *         minibatch, not persisted (DL4J persists it itself, at its own storage level)
     */
    public static JavaRDD<DataSet> minibatches(JavaRDD<TrainingShard> shards, int batchSize) {
        return shards
                .flatMap(shard -> toMinibatches(shard, batchSize).iterator())
                .setName("DL4J minibatches");
    }

    private static List<DataSet> toMinibatches(TrainingShard shard, int batchSize) {
        LabeledImages images = shard.images();
        List<DataSet> batches = new ArrayList<>();
        for (int from = 0; from < images.size(); from += batchSize) {
            int size = Math.min(batchSize, images.size() - from);
            float[] features = new float[size * images.width()];
            float[] labels = new float[size * images.classes()];
            images.fill(null, from, size, features, labels);
            batches.add(new DataSet(Nd4j.create(features, new long[] {size, images.width()}, 'c'),
                    Nd4j.create(labels, new long[] {size, images.classes()}, 'c')));
        }
        return batches;
    }

    @Override
    public long cachedTrainingBytes() {
        return data.storage().bytes();
    }

    @Override
    public void close() {
        master.deleteTempFiles(spark);
        data.close();
    }
}
