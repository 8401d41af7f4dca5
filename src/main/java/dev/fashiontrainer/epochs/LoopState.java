package dev.fashiontrainer.epochs;

import java.util.List;
import java.util.Optional;

import dev.fashiontrainer.model.ParameterSnapshot;
import dev.fashiontrainer.report.EpochMetrics;

/**
 * Where training stands after an epoch: what a checkpoint saves and a resumed run starts from.
 *
 * @param metrics every epoch's metrics so far, in order
 * @param bestEpoch the best epoch by the validation metric, 0 when none is tracked
 * @param bestWeights that epoch's parameters and updater state, null when none is tracked
 * @param stop why training ends after this epoch, empty when it goes on
 */
public record LoopState(List<EpochMetrics> metrics, int bestEpoch, ParameterSnapshot bestWeights,
                        Optional<StopReason> stop) {
    /** A run that has trained no epoch yet. */
    public static final LoopState START = new LoopState(List.of(), 0, null, Optional.empty());

    /**
     * @param metrics the metrics a checkpoint saved
     * @param bestEpoch the best epoch it saved, 0 for none
     * @param bestWeights that epoch's weights as saved, null for none
     * @param stopReason why training ended after the checkpoint's epoch, null when it went on
     * @return the state a resumed run starts from
     */
    public static LoopState resumed(List<EpochMetrics> metrics, int bestEpoch, ParameterSnapshot bestWeights,
                                    StopReason stopReason) {
        return new LoopState(List.copyOf(metrics), bestEpoch, bestWeights, Optional.ofNullable(stopReason));
    }

    /** @return the number of epochs trained */
    public int epoch() {
        return metrics.size();
    }
}
