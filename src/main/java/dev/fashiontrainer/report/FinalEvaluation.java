package dev.fashiontrainer.report;

import java.util.ArrayList;
import java.util.List;

import dev.fashiontrainer.eval.EvaluationResult;

/**
 * The content of {@code evaluation.json}: the kept epoch's test results in full (the best epoch's with validation
 * examples, else the last one's), per class and as a confusion matrix, with class names so that notebooks and
 * reports need no other source.
 *
 * @param epoch the 1-based epoch whose network was evaluated
 * @param examples test examples evaluated
 * @param accuracy fraction correct
 * @param averageLoss mean loss per example
 * @param classes per-class precision and recall
 * @param confusionMatrix rows the true class, columns the predicted one
 */
public record FinalEvaluation(int epoch, long examples, double accuracy, double averageLoss, List<ClassMetrics> classes,
                              long[][] confusionMatrix) {

    /**
     * One class's metrics.
     *
     * @param label the class index
     * @param name the class name
     * @param precision of the examples predicted as this class, the fraction that are
     * @param recall of the examples of this class, the fraction predicted as it
     * @param support test examples of this class
     */
    public record ClassMetrics(int label, String name, double precision, double recall, long support) {
    }

    /**
     * @param epoch the 1-based epoch whose network was evaluated
     * @param result the evaluation
     * @param classNames one name per class of the data set, by label
     * @return the JSON-ready form of {@code result}
     */
    public static FinalEvaluation of(int epoch, EvaluationResult result, List<String> classNames) {
        List<ClassMetrics> classes = new ArrayList<>();
        long[][] confusion = result.confusionMatrix();
        for (int c = 0; c < confusion.length; c++) {
            long support = 0;
            for (long n : confusion[c]) {
                support += n;
            }
            classes.add(new ClassMetrics(c, classNames.get(c), result.precision(c),
                    result.recall(c), support));
        }
        return new FinalEvaluation(epoch, result.examples(), result.accuracy(), result.averageLoss(), classes, confusion);
    }
}
