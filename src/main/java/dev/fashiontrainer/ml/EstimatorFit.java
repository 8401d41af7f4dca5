package dev.fashiontrainer.ml;


import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import dev.fashiontrainer.config.TaskKind;
import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.data.DataException;
import dev.fashiontrainer.data.LabeledImages;
import dev.fashiontrainer.data.TrainingData;
import dev.fashiontrainer.epochs.EpochListener;
import dev.fashiontrainer.epochs.EpochLoop;
import dev.fashiontrainer.epochs.LoopState;
import dev.fashiontrainer.epochs.StoppingRule;
import dev.fashiontrainer.eval.DistributedEvaluator;
import dev.fashiontrainer.model.MlpWeights;
import dev.fashiontrainer.model.NetworkFactory;
import dev.fashiontrainer.model.NetworkShape;
import dev.fashiontrainer.train.TrainingEngine;

/**
 * What both estimators' {@code fit} does: reads the DataFrame's rows into the engine's input, builds the network
 * the settings and the data describe, and trains it in the command line's {@link EpochLoop} (evaluating the
 * validation rows after each epoch when there are any), which stops at MLlib's {@code tol}, early stopping or the
 * time budget, and leaves the kept epoch's weights in the network.
 *
 * <p>The input is cached for the fit when it is not already, so that the rows numbered in one pass are the rows
 * trained on in the next (a {@code rand()} column or a changing source would otherwise break the numbering).
 */
final class EstimatorFit {
    /**
     * What fit produced.
     *
     * @param trained the trained network, its settings (layers spelled out) and per-epoch metrics
     * @param shape what the rows held (width, classes and their names)
     */
    record Fitted(TrainedNetwork trained, DataFrameInput.Shape shape) {
    }

    private EstimatorFit() {
    }

    /**
     * @param dataset the rows
     * @param estimator the estimator's params (features, label, validation column, tol, initial weights)
     * @param featuresColumn vectors of one size
     * @param labelColumn class indices, or the numbers a regression predicts
     * @param task classification or regression
     * @return the trained network and what was measured
     */
    static <T extends org.apache.spark.ml.param.Params> Fitted fit(Dataset<?> dataset, MlpParams<T> estimator,
                                                                   String featuresColumn, String labelColumn,
                                                                   TaskKind task) {
        TrainingConfig requested = estimator.trainingConfig().toBuilder()
                .with("task", task).build();
        boolean cacheHere = dataset.storageLevel().equals(StorageLevel.NONE());
        Dataset<?> input = cacheHere ? dataset.persist(StorageLevel.MEMORY_AND_DISK()) : dataset;
        try {
            return fitCached(input, estimator, featuresColumn, labelColumn, requested);
        } finally {
            if (cacheHere) {
                input.unpersist(false);
            }
        }
    }

    private static Fitted fitCached(Dataset<?> dataset, MlpParams<?> estimator, String featuresColumn,
                                    String labelColumn, TrainingConfig requested) {
        long started = System.nanoTime();
        JavaSparkContext spark = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
        Dataset<?> trainRows = dataset;
        Dataset<?> validationRows = null;
        if (estimator.isDefined(estimator.validationIndicatorCol())) {
            String column = estimator.getValidationIndicatorCol();
            Column indicator = functions.col(column);
            if (!dataset.filter(indicator.isNull()).isEmpty()) {
                throw new DataException("column '" + column + "': expected true or false on every row, found null;"
                        + " fill the nulls (false trains on the row) before fit");
            }
            trainRows = dataset.filter(functions.not(indicator));
            validationRows = dataset.filter(indicator);
        }
        // before any job: early stopping needs validation rows
        StoppingRule stopping = StoppingRule.of(requested, estimator.getTol(), validationRows != null,
                "mark validation rows with setValidationIndicatorCol");
        boolean regression = requested.task() == TaskKind.REGRESSION;
        DataFrameInput.Shape shape = DataFrameInput.measure(dataset, featuresColumn, labelColumn, regression);
        TrainingConfig config = NetworkShape.resolve(requested, shape.width(), shape.classes());
        LabeledImages validation = validationRows == null ? null
                : DataFrameInput.collect(validationRows, shape, featuresColumn, labelColumn);
        TrainingData data = DataFrameInput.trainingData(trainRows, shape, featuresColumn, labelColumn, config);
        MultiLayerNetwork network = NetworkFactory.create(config);
        if (estimator.isDefined(estimator.initialWeights())) {
            MlpWeights.apply(estimator.getInitialWeights(), network);
        }
        EpochLoop.Outcome outcome;
        try (TrainingEngine trainer = TrainingEngine.create(spark, config, data);
             DistributedEvaluator evaluator = validation == null || validation.size() == 0 ? null
                     : new DistributedEvaluator(spark, network.getLayerWiseConfigurations(), validation,
                             config.workers())) {
            outcome = new EpochLoop(spark, config, trainer, evaluator, null, stopping, EpochListener.NONE)
                    .run(network, LoopState.START, started);
        }
        return new Fitted(new TrainedNetwork(config, network, new DistributedMlpTrainingSummary(outcome)), shape);
    }
}
