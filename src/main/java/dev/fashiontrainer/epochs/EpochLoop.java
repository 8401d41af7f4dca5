package dev.fashiontrainer.epochs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fashiontrainer.config.TaskKind;
import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.eval.DistributedEvaluator;
import dev.fashiontrainer.eval.EvaluationResult;
import dev.fashiontrainer.model.ParameterSnapshot;
import dev.fashiontrainer.report.EpochMetrics;
import dev.fashiontrainer.train.EpochResult;
import dev.fashiontrainer.train.TrainingEngine;

/**
 * Trains epoch after epoch until the {@link StoppingRule} says to stop: each epoch is trained on the engine, then
 * the validation examples and the test examples (each when there are any) are evaluated on the executors, and the
 * epoch's {@link EpochMetrics} are recorded. The best epoch's weights are kept aside as training goes on, and
 * copied into the network at the end when that epoch is the one to keep. The command line and both estimators run
 * this one loop.
 */
public final class EpochLoop {
    /** The validation evaluator's job description. */
    public static final String VALIDATION_JOB = "evaluation on the validation examples";
    private static final Logger LOG = LoggerFactory.getLogger(EpochLoop.class);

    private final JavaSparkContext spark;
    private final TrainingConfig config;
    private final TrainingEngine engine;
    private final DistributedEvaluator validation;
    private final DistributedEvaluator test;
    private final StoppingRule stopping;
    private final EpochListener listener;

    /**
     * What the loop ended with.
     *
     * @param metrics every epoch's metrics, earlier attempts' included
     * @param reason why training ended
     * @param explanation the reason in a sentence, with the kept epoch when it is not the last
     * @param keptEpoch the epoch whose weights the network now holds
     * @param keptTest that epoch's test evaluation, or empty when it was evaluated by an earlier attempt (or there
     *     is no test set)
     */
    public record Outcome(List<EpochMetrics> metrics, StopReason reason, String explanation, int keptEpoch,
                          Optional<EvaluationResult> keptTest) {
    }

    /**
     * @param spark the application's context, for the jobs' descriptions
     * @param config the run's settings (layers spelled out)
     * @param engine trains an epoch
     * @param validation evaluates the held-out validation examples, or null without them
     * @param test evaluates the test set, or null without one
     * @param stopping when to stop and which epoch to keep
     * @param listener what happens around each epoch
     */
    public EpochLoop(JavaSparkContext spark, TrainingConfig config, TrainingEngine engine,
                     DistributedEvaluator validation, DistributedEvaluator test, StoppingRule stopping,
                     EpochListener listener) {
        this.spark = spark;
        this.config = config;
        this.engine = engine;
        this.validation = validation;
        this.test = test;
        this.stopping = stopping;
        this.listener = listener;
    }

    /**
     * Trains from {@code start} on until the rule stops it, then leaves the kept epoch's weights in {@code model}.
     *
     * @param model the network, holding the weights {@code start} ends with
     * @param start what earlier attempts trained ({@link LoopState#START} for a new run)
     * @param startedNanos {@link System#nanoTime()} when this attempt started, for the time budget
     * @return the metrics, why training ended and which epoch is kept
     * @throws dev.fashiontrainer.train.DivergenceException when a worker's loss stops being finite
     */
    public Outcome run(MultiLayerNetwork model, LoopState start, long startedNanos) {
        List<EpochMetrics> metrics = new ArrayList<>(start.metrics());
        double earlierSeconds = metrics.stream().mapToDouble(EpochMetrics::seconds).sum();
        boolean tracksBest = stopping.tracksBest(validation != null);
        int bestEpoch = start.bestEpoch();
        ParameterSnapshot bestWeights = start.bestWeights();
        EvaluationResult bestTest = null;
        EvaluationResult lastTest = null;
        // a stop already decided stands (a time budget would not replay); otherwise the metrics decide again
        Optional<StopReason> stop = start.stop().isPresent() || metrics.isEmpty() ? start.stop()
                : stopping.decide(metrics, elapsed(startedNanos, earlierSeconds));
        while (stop.isEmpty()) {
            int epoch = metrics.size() + 1;
            listener.epochStarted(epoch);
            spark.setJobDescription(listener.jobDescription(epoch, "training"));
            long begin = System.nanoTime();
            EpochResult trained;
            try {
                trained = engine.trainEpoch(model, epoch);
            } finally {
                listener.trainingEnded();
            }
            double trainSeconds = (System.nanoTime() - begin) / 1e9;
            listener.epochTrained(epoch, trained);

            EvaluationResult validated = validation == null ? null
                    : validation.evaluate(model, listener.jobDescription(epoch, VALIDATION_JOB));
            long testBegin = System.nanoTime();
            lastTest = test == null ? null
                    : test.evaluate(model, listener.jobDescription(epoch, DistributedEvaluator.JOB_DESCRIPTION));
            long end = System.nanoTime();
            metrics.add(new EpochMetrics(epoch, trained.trainLoss(),
                    lastTest == null ? Double.NaN : lastTest.averageLoss(), accuracy(lastTest),
                    (end - begin) / 1e9, trained.examples() / trainSeconds, config.learningRateAt(epoch),
                    trained.averagingRounds(), (end - testBegin) / 1e9, trained.reshuffleSeconds(),
                    listener.workerStepSeconds(epoch), validated == null ? null : validated.averageLoss(),
                    validated == null ? null : accuracy(validated)));

            if (tracksBest && stopping.bestEpoch(metrics) == epoch) {
                bestEpoch = epoch;
                bestWeights = ParameterSnapshot.of(model);
                bestTest = lastTest;
            }
            stop = stopping.decide(metrics, elapsed(startedNanos, earlierSeconds));
            listener.epochFinished(new LoopState(List.copyOf(metrics), bestEpoch, bestWeights, stop), lastTest);
        }

        int kept = stopping.keptEpoch(metrics);
        Optional<EvaluationResult> keptTest = Optional.ofNullable(lastTest);
        if (kept != metrics.size()) {
            if (bestWeights == null || bestEpoch != kept) {
                throw new IllegalStateException("epoch " + kept + " is to be kept but its weights were not ("
                        + bestEpoch + ")");
            }
            bestWeights.applyTo(model);
            keptTest = Optional.ofNullable(bestTest);
        }
        String explanation = stopping.explain(stop.get(), metrics);
        LOG.info("Training ended: {}", explanation);
        return new Outcome(List.copyOf(metrics), stop.get(), explanation, kept, keptTest);
    }

    /** A regression's evaluation counts no correct classes: its accuracy has no meaning. */
    private double accuracy(EvaluationResult evaluated) {
        return evaluated == null || config.task() == TaskKind.REGRESSION ? Double.NaN : evaluated.accuracy();
    }

    private static Duration elapsed(long startedNanos, double earlierSeconds) {
        return Duration.ofNanos(System.nanoTime() - startedNanos + (long) (earlierSeconds * 1e9));
    }
}
