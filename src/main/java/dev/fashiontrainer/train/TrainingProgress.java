package dev.fashiontrainer.train;

/**
 * What an engine tells the driver about an epoch while it runs: the name of each round's Spark job, and a
 * {@link MinibatchReporter} its tasks fill as they train.
 */
public interface TrainingProgress {
    /** Names jobs by epoch and round alone and collects nothing (for tests of the engines). */
    TrainingProgress NONE = new TrainingProgress() {
        @Override
        public String jobDescription(int epoch, int round, int rounds) {
            return roundName(epoch, round, rounds);
        }

        @Override
        public MinibatchReporter reporter() {
            return MinibatchReporter.NONE;
        }
    };

    /**
     * @param epoch 1-based epoch number
     * @param round 0-based averaging round
     * @param rounds rounds in the epoch
     * @return the description of the round's job in Spark's UI and history server
     */
    String jobDescription(int epoch, int round, int rounds);

    /** @return what the tasks report their minibatches to; captured by the tasks' closures */
    MinibatchReporter reporter();

    /** @return {@code epoch 2, averaging round 1 of 4} */
    static String roundName(int epoch, int round, int rounds) {
        return "epoch " + epoch + ", averaging round " + (round + 1) + " of " + rounds;
    }
}
