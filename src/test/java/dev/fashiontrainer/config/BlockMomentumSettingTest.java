package dev.fashiontrainer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@code --block-momentum auto} follows the number of workers; a number is taken as given. */
class BlockMomentumSettingTest {
    private static double blockMomentum(String recipe, String value, int workers) {
        TrainingConfig.Builder builder = TrainingConfig.defaults(recipe).with("workers", workers);
        if (value != null) {
            builder.with("blockMomentum", value);
        }
        return builder.build().effectiveBlockMomentum();
    }

    @Test
    void autoIsOneMinusOneOverTheWorkers() {
        assertEquals(0.0, blockMomentum(null, "auto", 1), 0);
        assertEquals(0.5, blockMomentum(null, "auto", 2), 0);
        assertEquals(0.875, blockMomentum(null, "auto", 8), 0);
    }

    @Test
    void theFastRecipeTakesAutoAndTheSeedNone() {
        assertEquals(0.75, blockMomentum("fast", null, 4), 0);
        assertEquals(0.0, blockMomentum("seed", null, 4), 0);
        assertEquals(0.3, blockMomentum("fast", "0.3", 8), 0);
    }

    @Test
    void theResolvedValueSurvivesACopy() {
        TrainingConfig eight = TrainingConfig.defaults("fast").with("workers", 8).build();
        assertEquals(eight, eight.toBuilder().build());
    }
}
