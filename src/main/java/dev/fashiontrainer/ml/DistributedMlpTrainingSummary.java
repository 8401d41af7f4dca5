package dev.fashiontrainer.ml;

import java.util.List;

import dev.fashiontrainer.report.EpochMetrics;

/**
 * What {@code fit} measured, epoch by epoch: the same {@link EpochMetrics} the command line writes to
 * {@code metrics.json}. The validation figures are NaN when no validation rows were marked.
 */
public final class DistributedMlpTrainingSummary {
    private final List<EpochMetrics> epochs;

    /** @param epochs one entry per trained epoch, in order */
    public DistributedMlpTrainingSummary(List<EpochMetrics> epochs) {
        this.epochs = List.copyOf(epochs);
    }

    /** @return one entry per trained epoch, in order */
    public List<EpochMetrics> epochs() {
        return epochs;
    }

    /** @return the number of epochs trained */
    public int totalIterations() {
        return epochs.size();
    }

    /** @return the mean training loss of every epoch, MLlib's name for the objective's course */
    public double[] objectiveHistory() {
        return epochs.stream().mapToDouble(EpochMetrics::trainLoss).toArray();
    }

    /** @return the validation rows' accuracy after every epoch (NaN without validation rows) */
    public double[] validationAccuracyHistory() {
        return epochs.stream().mapToDouble(EpochMetrics::testAccuracy).toArray();
    }
}
