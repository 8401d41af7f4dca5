package dev.fashiontrainer.train;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code --averaging-frequency auto} chose, and from what: epoch 1's measured cost of one averaging round
 * (direct to the driver, and through a tree) and the cluster's wall-clock seconds per minibatch step (all workers
 * stepping at once), which decide how many rounds keep communication under the allowed share of the epoch. Made
 * on the driver once, then kept: it travels with the checkpoint ({@link #toState()}), so a resumed run averages
 * as the interrupted one did.
 *
 * @param minibatchesPerRound minibatches each worker takes between two averagings from epoch 2 on
 * @param tree whether the rounds take the tree path
 * @param directRoundSeconds measured cost of one round sent directly to the driver
 * @param treeRoundSeconds measured cost of one round through the tree
 * @param minibatchSeconds measured wall-clock seconds per minibatch step of the whole cluster
 * @param share the allowed share of communication in an epoch
 * @param batches minibatches per worker and epoch (the largest shard's)
 */
public record AveragingChoice(int minibatchesPerRound, boolean tree, double directRoundSeconds,
                              double treeRoundSeconds, double minibatchSeconds, double share, int batches) {
    /** Keeps the measurements at float precision, as the checkpoint stores them, so a restored choice is equal. */
    public AveragingChoice {
        directRoundSeconds = (float) directRoundSeconds;
        treeRoundSeconds = (float) treeRoundSeconds;
        minibatchSeconds = (float) minibatchSeconds;
        share = (float) share;
    }

    /** How many floats {@link #toState()} writes. */
    static final int STATE_LENGTH = 7;

    /**
     * Chooses the most rounds per epoch whose cost stays within {@code share} of the epoch, at least one: with R
     * rounds of cost r and a compute time C per epoch, R r / (C + R r) at most the share, so R at most
     * share / (1 - share) x C / r; and the cheaper path.
     *
     * @param directRoundSeconds measured round cost, direct path
     * @param treeRoundSeconds measured round cost, tree path
     * @param minibatchSeconds measured wall-clock seconds per minibatch step (all workers)
     * @param share the allowed share
     * @param batches minibatches per worker and epoch
     * @return the choice
     */
    public static AveragingChoice choose(double directRoundSeconds, double treeRoundSeconds, double minibatchSeconds,
                                         double share, int batches) {
        boolean tree = treeRoundSeconds < directRoundSeconds;
        double round = Math.max(1e-3, Math.min(directRoundSeconds, treeRoundSeconds));
        double compute = Math.max(0, minibatchSeconds) * batches;
        int rounds = (int) Math.max(1, Math.min(batches, Math.floor(share / (1 - share) * compute / round)));
        int perRound = (batches + rounds - 1) / rounds;
        return new AveragingChoice(perRound, tree, directRoundSeconds, treeRoundSeconds, minibatchSeconds, share,
                batches);
    }

    /** @return averaging rounds per epoch from epoch 2 on */
    public int roundsPerEpoch() {
        return (batches + minibatchesPerRound - 1) / minibatchesPerRound;
    }

    /** @return the predicted share of an epoch that its rounds take */
    public double predictedShare() {
        double round = roundsPerEpoch() * (tree ? treeRoundSeconds : directRoundSeconds);
        return round / (round + minibatchSeconds * batches);
    }

    /** @return one line saying what was chosen and why */
    public String describe() {
        return String.format(Locale.ROOT, "Averaging: auto chose %d round(s) per epoch (every %d minibatches), %s"
                        + " reduction: a round measured %.3f s direct and %.3f s through a tree, a minibatch step %.4f s,"
                        + " so %d round(s) keep communication at %.1f%% of the epoch (limit %.0f%%,"
                        + " --communication-share)", roundsPerEpoch(), minibatchesPerRound, tree ? "tree" : "direct",
                directRoundSeconds, treeRoundSeconds, minibatchSeconds, roundsPerEpoch(), 100 * predictedShare(),
                100 * share);
    }

    /** @return the choice and its measurements, for {@code run.json} */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("rounds_per_epoch", roundsPerEpoch());
        map.put("minibatches_per_round", minibatchesPerRound);
        map.put("reduction", tree ? "tree" : "direct");
        map.put("round_seconds_direct", directRoundSeconds);
        map.put("round_seconds_tree", treeRoundSeconds);
        map.put("minibatch_seconds", minibatchSeconds);
        map.put("communication_share_limit", share);
        map.put("communication_share_predicted", predictedShare());
        map.put("why", describe());
        return map;
    }

    /** @return the choice as floats, for the checkpoint's engine state */
    float[] toState() {
        return new float[] {minibatchesPerRound, tree ? 1 : 0, (float) directRoundSeconds, (float) treeRoundSeconds,
            (float) minibatchSeconds, (float) share, batches};
    }

    /**
     * @param state what {@link #toState()} wrote, at the end of a longer array
     * @param from where it starts
     * @return the choice
     */
    static AveragingChoice fromState(float[] state, int from) {
        return new AveragingChoice((int) state[from], state[from + 1] != 0, state[from + 2], state[from + 3],
                state[from + 4], state[from + 5], (int) state[from + 6]);
    }
}
