package dev.fashiontrainer.config;

import java.util.Locale;

/**
 * What early stopping and the best epoch are judged on: a figure of the held-out validation examples, spelled as
 * {@code metrics.json} names it.
 */
public enum EarlyStoppingMetric implements Choice {
    /** The mean loss per validation example: lower is better. */
    VALIDATION_LOSS,
    /** The share of validation examples classified correctly: higher is better. */
    VALIDATION_ACCURACY;

    /** @return {@code validation_loss} or {@code validation_accuracy}, the field's name in {@code metrics.json} */
    @Override
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return whether a larger value is better */
    public boolean higherIsBetter() {
        return this == VALIDATION_ACCURACY;
    }
}
