package dev.fashiontrainer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@code --block-momentum auto} follows the number of workers; a number is taken as given. */
class BlockMomentumSettingTest {
    private static double blockMomentum(String recipe, String value, int workers) {
        TrainingConfig.Builder builder = TrainingConfig.defaults(recipe).workers(workers);
        if (value != null) {
            builder.blockMomentum(value);
        }
        return builder.build().blockMomentum();
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
        TrainingConfig eight = TrainingConfig.defaults("fast").workers(8).build();
        assertEquals(eight, eight.toBuilder().build());
    }
}
