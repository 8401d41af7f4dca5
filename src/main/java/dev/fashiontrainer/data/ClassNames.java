package dev.fashiontrainer.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides a data set's classes, their number K and their names, from its training and test sets.
 *
 * <p>K is the number of class names the training set's label column declares (ML attribute metadata, as
 * {@code StringIndexer} writes it), else the largest label of either set plus one, at least 2. Data of
 * Fashion-MNIST's shape (784 8-bit pixels, labels below 10) has Fashion-MNIST's 10 classes, so that a test set
 * cut short by {@code --test-limit} still has them all. The names are the declared ones, else those of
 * {@code --class-names}, else Fashion-MNIST's for data of its shape, else the label numbers.
 */
public final class ClassNames {
    private ClassNames() {
    }

    /**
     * @param train the training set's shape
     * @param trainWhere the training set's location, for messages
     * @param test the test set's shape
     * @param testWhere the test set's location, for messages
     * @param given the names {@code --class-names} gives, or null
     * @return one name per class, K in all
     * @throws DataException when the sets differ in width, a label is beyond the declared classes, there are more
     *     classes than a label byte holds, or {@code given} names another number of classes
     */
    public static List<String> decide(SetShape train, String trainWhere, SetShape test, String testWhere,
                                      List<String> given) {
        if (train.width() != test.width()) {
            throw new DataException(testWhere + ": expected examples of " + train.width() + " features, as in the"
                    + " training set " + trainWhere + ", found " + test.width());
        }
        int largest = Math.max(train.largestLabel(), test.largestLabel());
        List<String> declared = train.declaredNames();
        int classes = !declared.isEmpty() ? declared.size()
                : given == null && isFashionMnistShaped(train, largest) ? LabeledImages.CLASSES
                : Math.max(2, largest + 1);
        if (largest >= classes) {
            String where = test.largestLabel() == largest ? testWhere : trainWhere;
            throw new DataException(where + ": expected labels 0-" + (classes - 1) + " (the " + classes
                    + " classes the training set's label metadata declares), found label " + largest);
        }
        if (classes > LabeledImages.MAX_CLASSES) {
            throw new DataException(trainWhere + ": expected at most " + LabeledImages.MAX_CLASSES + " classes,"
                    + " found " + classes);
        }
        if (given != null && given.size() != classes) {
            throw new DataException("--class-names names " + given.size() + " classes, but the data hold "
                    + classes + " (" + (declared.isEmpty() ? "labels 0-" + (classes - 1) + " in " + trainWhere
                    + " and " + testWhere : "declared by the label metadata of " + trainWhere) + ")");
        }
        if (!declared.isEmpty()) {
            return declared;
        }
        if (given != null) {
            return List.copyOf(given);
        }
        if (classes == LabeledImages.CLASSES && isFashionMnistShaped(train, largest)) {
            return LabeledImages.CLASS_NAMES;
        }
        List<String> numbers = new ArrayList<>(classes);
        for (int c = 0; c < classes; c++) {
            numbers.add(String.valueOf(c));
        }
        return numbers;
    }

    /**
     * @return the class count a set's own labels suggest, for packing its examples before the data set's K is
     *     decided: Fashion-MNIST's 10 for data of its shape, else the largest label plus one, at least 2
     */
    static int fromData(SetShape shape) {
        return isFashionMnistShaped(shape, shape.largestLabel()) ? LabeledImages.CLASSES
                : Math.max(2, shape.largestLabel() + 1);
    }

    private static boolean isFashionMnistShaped(SetShape shape, int largestLabel) {
        return shape.width() == LabeledImages.PIXELS && shape.pixels() && largestLabel < LabeledImages.CLASSES;
    }
}
