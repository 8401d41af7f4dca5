package dev.fashiontrainer.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares one training setting on its {@link TrainingConfig} component, in one place: what it means, its range
 * and its named value. The rest is derived from the component's name and type ({@link DeclaredSetting}): the flag
 * ({@code batchSize} is {@code --batch-size}), the {@code conf/trainer.properties} key ({@code batch-size}), the
 * estimator's param ({@code batchSize}), the parsing and checking of a value, and the JSON of {@code run.json}.
 * Defaults live in {@code conf/}, the one source of truth for values.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Setting {
    /** @return what the setting means, for {@code --help} and the estimator's param (picocli's %% for a percent) */
    String doc();

    /** @return the value's placeholder in {@code --help}, such as {@code N} or {@code NAME} */
    String label() default "";

    /** @return the smallest allowed number */
    double min() default Double.NEGATIVE_INFINITY;

    /** @return whether {@link #min()} itself is excluded */
    boolean minExclusive() default false;

    /** @return the largest allowed number */
    double max() default Double.POSITIVE_INFINITY;

    /** @return whether {@link #max()} itself is excluded */
    boolean maxExclusive() default false;

    /**
     * @return a word accepted besides the values of the type (empty: none): {@code auto} or {@code none}, stored as
     *     -1 in a whole number, NaN in a number, an empty list in a list, zero in a duration; a whole number may
     *     take several, comma-separated, stored as -1, -2, ...
     */
    String named() default "";

    /** @return whether the estimator has a param for it (not for settings of the command line's data handling) */
    boolean param() default true;

    /** @return whether the command line has a flag for it (not for what the estimator's class decides) */
    boolean flag() default true;
}
