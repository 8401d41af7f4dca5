package dev.fashiontrainer.epochs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.fashiontrainer.config.ConfigException;
import dev.fashiontrainer.config.TaskKind;
import dev.fashiontrainer.config.TrainingConfig;
import dev.fashiontrainer.report.EpochMetrics;

/** The decisions of early stopping, the kept epoch, MLlib's tol and the time budget, from metrics alone. */
class StoppingRuleTest {
    private static final Duration NO_TIME = Duration.ZERO;

    private static TrainingConfig settings(Object... nameValues) {
        TrainingConfig.Builder builder = TrainingConfig.defaults("seed").with("epochs", 20);
        for (int i = 0; i < nameValues.length; i += 2) {
            builder.with((String) nameValues[i], nameValues[i + 1]);
        }
        return builder.build();
    }

    /** Metrics whose validation losses are {@code losses} and accuracies {@code 1 - loss}. */
    private static List<EpochMetrics> validationLosses(double... losses) {
        List<EpochMetrics> metrics = new ArrayList<>();
        for (int e = 0; e < losses.length; e++) {
            metrics.add(new EpochMetrics(e + 1, 1.0 / (e + 1), 0.5, 0.8, 1, 1000, 0.001, 1, 0.1, 0, List.of(),
                    losses[e], 1 - losses[e]));
        }
        return metrics;
    }

    @Test
    void theBestEpochIsTheLastImprovementByMoreThanMinDelta() {
        List<EpochMetrics> metrics = validationLosses(0.9, 0.6, 0.55, 0.58, 0.54, 0.7);
        assertEquals(5, StoppingRule.of(settings(), 0, true, "").bestEpoch(metrics));
        // 0.55 and 0.54 beat 0.6 by less than 0.07
        assertEquals(2, StoppingRule.of(settings("minDelta", 0.07), 0, true, "").bestEpoch(metrics));
        // judged on accuracy (1 - loss here) the same epoch is best
        assertEquals(5, StoppingRule.of(settings("earlyStoppingMetric", "validation_accuracy"), 0, true, "")
                .bestEpoch(metrics));
    }

    @Test
    void earlyStoppingWaitsItsRoundsAfterTheBestEpoch() {
        StoppingRule rule = StoppingRule.of(settings("earlyStoppingRounds", 2), 0, true, "");
        assertEquals(Optional.empty(), rule.decide(validationLosses(0.9, 0.6, 0.7), NO_TIME), "1 epoch since the best");
        assertEquals(Optional.of(StopReason.EARLY_STOPPING), rule.decide(validationLosses(0.9, 0.6, 0.7, 0.65),
                NO_TIME));
        assertEquals(2, rule.keptEpoch(validationLosses(0.9, 0.6, 0.7, 0.65)));
        assertEquals(4, StoppingRule.of(settings("earlyStoppingRounds", 2, "keepModel", "last"), 0, true, "")
                .keptEpoch(validationLosses(0.9, 0.6, 0.7, 0.65)));
        assertTrue(rule.explain(StopReason.EARLY_STOPPING, validationLosses(0.9, 0.6, 0.7, 0.65))
                .contains("keeping epoch 2, the best by validation_loss"));
    }

    @Test
    void allEpochsComeBeforeTheOtherReasons() {
        StoppingRule rule = StoppingRule.of(settings("epochs", 4, "earlyStoppingRounds", 2, "maxTime", "1s"), 0,
                true, "");
        assertEquals(Optional.of(StopReason.EPOCHS_DONE), rule.decide(validationLosses(0.9, 0.6, 0.7, 0.65),
                Duration.ofHours(1)));
    }

    @Test
    void theTimeBudgetEndsTrainingOnceSpentButNeverBeforeTheFirstEpoch() {
        StoppingRule rule = StoppingRule.of(settings("maxTime", "20m"), 0, false, "");
        assertEquals(Optional.empty(), rule.decide(validationLosses(), Duration.ofHours(1)));
        assertEquals(Optional.empty(), rule.decide(validationLosses(0.9), Duration.ofMinutes(19)));
        assertEquals(Optional.of(StopReason.TIME_BUDGET), rule.decide(validationLosses(0.9), Duration.ofMinutes(20)));
    }

    @Test
    void mllibsTolStopsWhenTheTrainingLossFallsByLessThanItsShare() {
        StoppingRule rule = StoppingRule.of(settings(), 0.4, false, "");
        // training losses 1, 1/2, 1/3: the second epoch halves it, the third lowers it by a third, less than 0.4
        assertEquals(Optional.empty(), rule.decide(validationLosses(0.9, 0.8), NO_TIME));
        assertEquals(Optional.of(StopReason.CONVERGED), rule.decide(validationLosses(0.9, 0.8, 0.7), NO_TIME));
    }

    @Test
    void withoutValidationTheLastEpochIsKeptAndEarlyStoppingIsRefused() {
        List<EpochMetrics> noValidation = new ArrayList<>();
        for (int e = 1; e <= 3; e++) {
            noValidation.add(new EpochMetrics(e, 1, 0.5, 0.8, 1, 1000, 0.001, 1, 0.1, 0, List.of(), null, null));
        }
        assertEquals(3, StoppingRule.of(settings(), 0, false, "").keptEpoch(noValidation));
        ConfigException refused = assertThrows(ConfigException.class,
                () -> StoppingRule.of(settings("earlyStoppingRounds", 3), 0, false, "pass --validation-split"));
        assertEquals("early stopping (3 rounds) is judged on validation examples and there are none: pass"
                + " --validation-split", refused.getMessage());
        TrainingConfig regression = settings("earlyStoppingRounds", 3, "earlyStoppingMetric", "validation_accuracy")
                .toBuilder().with("task", TaskKind.REGRESSION).build();
        assertTrue(assertThrows(ConfigException.class, () -> StoppingRule.of(regression, 0, true, ""))
                .getMessage().contains("a regression has no validation_accuracy"));
    }
}
