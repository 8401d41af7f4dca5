package dev.fashiontrainer.ml;

import java.util.List;

import dev.fashiontrainer.epochs.EpochLoop;
import dev.fashiontrainer.epochs.StopReason;
import dev.fashiontrainer.report.EpochMetrics;

/**
 * What {@code fit} measured, epoch by epoch: the same {@link EpochMetrics} the command line writes to
 * {@code metrics.json}, why training ended and which epoch's network the model holds. The validation figures are
 * NaN when no validation rows were marked.
 */
public final class DistributedMlpTrainingSummary {
    private final List<EpochMetrics> epochs;
    private final StopReason stopReason;
    private final int keptEpoch;

    /** @param outcome what the epoch loop ended with */
    public DistributedMlpTrainingSummary(EpochLoop.Outcome outcome) {
        this(outcome.metrics(), outcome.reason(), outcome.keptEpoch());
    }

    /**
     * @param epochs one entry per trained epoch, in order
     * @param stopReason why training ended
     * @param keptEpoch the 1-based epoch whose network the model holds
     */
    public DistributedMlpTrainingSummary(List<EpochMetrics> epochs, StopReason stopReason, int keptEpoch) {
        this.epochs = List.copyOf(epochs);
        this.stopReason = stopReason;
        this.keptEpoch = keptEpoch;
    }

    /** @return one entry per trained epoch, in order */
    public List<EpochMetrics> epochs() {
        return epochs;
    }

    /** @return the number of epochs trained */
    public int totalIterations() {
        return epochs.size();
    }

    /** @return why training ended: all epochs, early stopping, {@code tol} or the time budget */
    public StopReason stopReason() {
        return stopReason;
    }

    /** @return the 1-based epoch whose network the model holds (the best one, unless keepModel is last) */
    public int keptEpoch() {
        return keptEpoch;
    }

    /** @return the mean training loss of every epoch, MLlib's name for the objective's course */
    public double[] objectiveHistory() {
        return epochs.stream().mapToDouble(EpochMetrics::trainLoss).toArray();
    }

    /** @return the validation rows' mean loss after every epoch (NaN without validation rows) */
    public double[] validationLossHistory() {
        return epochs.stream().mapToDouble(e -> e.validationLoss() == null ? Double.NaN : e.validationLoss())
                .toArray();
    }

    /** @return the validation rows' accuracy after every epoch (NaN without validation rows, or for a regression) */
    public double[] validationAccuracyHistory() {
        return epochs.stream()
                .mapToDouble(e -> e.validationAccuracy() == null ? Double.NaN : e.validationAccuracy()).toArray();
    }
}
