package dev.fashiontrainer.ml;

import org.apache.spark.ml.util.Identifiable;

/**
 * Gives a Java subclass of an MLlib stage its uid while the Scala superclass is still being built.
 *
 * <p>MLlib's shared params ({@code featuresCol}, {@code probabilityCol}, ...) are created in the superclass's
 * constructor and record {@code uid()} as their owner. A Java field is assigned only after that constructor, so the
 * uid must come from elsewhere: a constructor that takes a uid announces it here (in the argument of its
 * {@code this(...)} call, the one place that runs before the superclass), and {@code uid()} claims it on first use.
 */
final class StageUid {
    private static final ThreadLocal<String> ANNOUNCED = new ThreadLocal<>();

    private StageUid() {
    }

    /**
     * @param uid the uid the stage being constructed on this thread must have
     * @return nothing; called for its effect inside a {@code this(...)} argument
     */
    static Void announce(String uid) {
        ANNOUNCED.set(uid);
        return null;
    }

    /**
     * @param prefix the stage's kind, for a new uid
     * @return the uid announced on this thread (once), or a new random one
     */
    static String claim(String prefix) {
        String uid = ANNOUNCED.get();
        ANNOUNCED.remove();
        return uid != null ? uid : Identifiable.randomUID(prefix);
    }
}
