package dev.fashiontrainer.report;

import java.io.PrintStream;
import java.util.List;

import dev.fashiontrainer.eval.EvaluationResult;
import dev.fashiontrainer.train.LossSample;

/**
 * Prints what the seed's lesson prints, in its format, so a user can hold the two side by side:
 * {@code Epoch 1}, {@code loss: 2.301477 [    0/60000]} every 100 minibatches (tagged by worker when there are
 * several), and {@code Test Error:} / {@code  Accuracy: 52.5%, Avg loss: 2.156031} after each epoch.
 */
public final class ConsoleReport {
    private final PrintStream out;
    private final int workers;

    /**
     * @param out where to print (standard output)
     * @param workers how many workers train; losses are tagged by worker when more than one
     */
    public ConsoleReport(PrintStream out, int workers) {
        this.out = out;
        this.workers = workers;
    }

    /** Prints the epoch header. */
    public void epochStarted(int epoch) {
        out.printf("Epoch %d%n-------------------------------%n", epoch);
        out.flush();
    }

    /** Prints the workers' minibatch losses. */
    public void losses(List<LossSample> samples) {
        for (LossSample s : samples) {
            String tag = workers > 1 ? "[worker " + (s.worker() + 1) + "] " : "";
            out.printf("%sloss: %f [%5d/%5d]%n", tag, s.loss(), s.seen(), s.shardSize());
        }
    }

    /** Prints the validation line (with {@code --validation-split}), the seed's test lines and the epoch's timing. */
    public void epochFinished(EpochMetrics metrics, EvaluationResult test) {
        if (metrics.validationAccuracy() != null) {
            out.printf("Validation: Accuracy: %.2f%%, Avg loss: %f%n", 100 * metrics.validationAccuracy(),
                    metrics.validationLoss());
        }
        testResult(test);
        String reshuffle = metrics.reshuffleSeconds() > 0
                ? String.format(" (reshuffle %.2f s of it)", metrics.reshuffleSeconds()) : "";
        String straggler = metrics.straggler().map(w -> String.format("; slowest worker %d: %.2f s of local steps,"
                + " %.1fx the median %.2f s", w + 1, metrics.workerStepSeconds().get(w),
                metrics.workerStepSeconds().get(w) / metrics.medianStepSeconds(), metrics.medianStepSeconds()))
                .orElse("");
        out.printf("Epoch %d: %.2f s, training %.0f examples/s%s, evaluation %.2f s, train loss %f, learning rate %g,"
                        + " %d averaging round%s%s%n%n", metrics.epoch(), metrics.seconds(), metrics.examplesPerSecond(),
                reshuffle, metrics.evaluationSeconds(), metrics.trainLoss(), metrics.learningRate(),
                metrics.averagingRounds(), metrics.averagingRounds() == 1 ? "" : "s", straggler);
        out.flush();
    }

    /** Prints the seed's two test lines: {@code Test Error:} and {@code  Accuracy: 71.0%, Avg loss: 0.779402}. */
    public void testResult(EvaluationResult test) {
        out.printf("Test Error: %n Accuracy: %.1f%%, Avg loss: %f %n", 100 * test.accuracy(), test.averageLoss());
    }

    /**
     * Prints per-class precision and recall and the confusion matrix of the final evaluation.
     *
     * @param test the evaluation
     * @param classNames one name per class, by label
     */
    public void finalEvaluation(EvaluationResult test, List<String> classNames) {
        out.println("Per class (test set):");
        out.printf("  %-12s %9s %9s%n", "class", "precision", "recall");
        for (int c = 0; c < classNames.size(); c++) {
            out.printf("  %-12s %8.1f%% %8.1f%%%n", classNames.get(c), 100 * test.precision(c),
                    100 * test.recall(c));
        }
        out.println("Confusion matrix (rows: true class, columns: predicted class 0-" + (classNames.size() - 1)
                + "):");
        long[][] confusion = test.confusionMatrix();
        for (int a = 0; a < confusion.length; a++) {
            StringBuilder row = new StringBuilder(String.format("  %-12s", classNames.get(a)));
            for (long n : confusion[a]) {
                row.append(String.format(" %5d", n));
            }
            out.println(row);
        }
    }

    /** Prints a line of its own (notes such as where outputs went). */
    public void note(String line) {
        out.println(line);
        out.flush();
    }
}
