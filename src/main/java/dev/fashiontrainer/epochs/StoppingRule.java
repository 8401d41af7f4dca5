package dev.fashiontrainer.epochs;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.fashiontrainer.config.ConfigException;
import dev.fashiontrainer.config.DurationText;
import dev.fashiontrainer.config.EarlyStoppingMetric;
import dev.fashiontrainer.config.KeptModel;
import dev.fashiontrainer.config.TaskKind;
import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.report.EpochMetrics;

/**
 * When training ends and which epoch is the best, decided from the metrics recorded so far and nothing else: a run
 * resumed from a checkpoint replays the same decisions, with the same patience and the same best epoch.
 *
 * <p>An epoch is an improvement when its validation metric beats the best so far by more than {@code minDelta}
 * (Keras's rule); the best epoch is the last improvement. The patience is the number of epochs since then.
 */
public final class StoppingRule {
    private final int epochs;
    private final int earlyStoppingRounds;
    private final EarlyStoppingMetric metric;
    private final double minDelta;
    private final boolean keepBest;
    private final Duration maxTime;
    private final double tol;

    private StoppingRule(TrainingConfig config, double tol) {
        this.epochs = config.epochs();
        this.earlyStoppingRounds = config.earlyStoppingRounds();
        this.metric = config.earlyStoppingMetric();
        this.minDelta = config.minDelta();
        this.keepBest = config.keepModel() == KeptModel.BEST;
        this.maxTime = config.maxTime();
        this.tol = tol;
    }

    /**
     * @param config the run's settings: epochs, early stopping, the kept model and the time budget
     * @param tol MLlib's convergence tolerance on the training loss (0: none; the command line has none)
     * @param hasValidation whether validation examples are evaluated every epoch
     * @param howToAddValidation what the user does to have them, for the message
     * @return the rule
     * @throws ConfigException when early stopping is asked for without validation examples, or judged on an
     *     accuracy that a regression does not have
     */
    public static StoppingRule of(TrainingConfig config, double tol, boolean hasValidation,
                                  String howToAddValidation) {
        if (config.earlyStoppingRounds() > 0 && !hasValidation) {
            throw new ConfigException("early stopping (" + config.earlyStoppingRounds() + " rounds) is judged on"
                    + " validation examples and there are none: " + howToAddValidation);
        }
        if (config.earlyStoppingMetric() == EarlyStoppingMetric.VALIDATION_ACCURACY
                && config.task() == TaskKind.REGRESSION
                && (config.earlyStoppingRounds() > 0 || config.keepModel() == KeptModel.BEST) && hasValidation) {
            throw new ConfigException("a regression has no validation_accuracy to judge epochs on; use"
                    + " validation_loss (its mean squared error)");
        }
        return new StoppingRule(config, tol);
    }

    /**
     * @param metrics every epoch's metrics so far, in order
     * @return the 1-based best epoch by the validation metric, or 0 when no epoch has a validation figure
     */
    public int bestEpoch(List<EpochMetrics> metrics) {
        int best = 0;
        double bestValue = Double.NaN;
        for (EpochMetrics epoch : metrics) {
            double value = value(epoch);
            if (Double.isNaN(value)) {
                continue;
            }
            boolean improved = best == 0 || (metric.higherIsBetter() ? value > bestValue + minDelta
                    : value < bestValue - minDelta);
            if (improved) {
                best = epoch.epoch();
                bestValue = value;
            }
        }
        return best;
    }

    /**
     * @param metrics every epoch's metrics so far
     * @return the epoch whose network is kept: the best one when the setting says so and there is one, else the
     *     last; 0 before any epoch
     */
    public int keptEpoch(List<EpochMetrics> metrics) {
        int best = keepBest ? bestEpoch(metrics) : 0;
        return best > 0 ? best : metrics.size();
    }

    /** @return whether the best epoch's weights must be kept aside as training goes on */
    public boolean tracksBest(boolean hasValidation) {
        return keepBest && hasValidation;
    }

    /**
     * @param metrics every epoch's metrics so far (at least one)
     * @param elapsed the run's time so far, epochs of earlier attempts included
     * @return why training ends now, or empty to train another epoch
     */
    public Optional<StopReason> decide(List<EpochMetrics> metrics, Duration elapsed) {
        int done = metrics.size();
        if (done >= epochs) {
            return Optional.of(StopReason.EPOCHS_DONE);
        }
        if (done == 0) { // a run keeps at least one epoch's network, whatever the clock says
            return Optional.empty();
        }
        int best = earlyStoppingRounds > 0 ? bestEpoch(metrics) : 0; // 0: no validation figure to judge on
        if (best > 0 && done - best >= earlyStoppingRounds) {
            return Optional.of(StopReason.EARLY_STOPPING);
        }
        if (tol > 0 && done >= 2) {
            double before = metrics.get(done - 2).trainLoss();
            double now = metrics.get(done - 1).trainLoss();
            if (before - now < tol * Math.abs(before)) {
                return Optional.of(StopReason.CONVERGED);
            }
        }
        if (!maxTime.isZero() && elapsed.compareTo(maxTime) >= 0) {
            return Optional.of(StopReason.TIME_BUDGET);
        }
        return Optional.empty();
    }

    /**
     * @param reason why training ended
     * @param metrics every epoch's metrics
     * @return one sentence for the console and {@code run.json}
     */
    public String explain(StopReason reason, List<EpochMetrics> metrics) {
        int done = metrics.size();
        String kept = keptEpoch(metrics) == done ? "" : "; keeping epoch " + keptEpoch(metrics) + ", the best by "
                + metric.cliName();
        return switch (reason) {
            case EPOCHS_DONE -> "trained all " + done + " epochs" + kept;
            case EARLY_STOPPING -> "stopped early after epoch " + done + ": " + metric.cliName() + " has not improved"
                    + " by more than " + minDelta + " for " + earlyStoppingRounds + " epochs" + kept;
            case TIME_BUDGET -> "stopped after epoch " + done + " of " + epochs + ": the time budget of "
                    + DurationText.format(maxTime) + " ran out" + kept;
            case CONVERGED -> "converged after epoch " + done + ": the training loss fell by less than " + tol
                    + " of itself" + kept;
        };
    }

    private double value(EpochMetrics epoch) {
        Double value = metric == EarlyStoppingMetric.VALIDATION_LOSS ? epoch.validationLoss()
                : epoch.validationAccuracy();
        return value == null ? Double.NaN : value;
    }
}
