package dev.fashiontrainer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import dev.fashiontrainer.report.Json;

/**
 * {@code --averaging-frequency half-workers} averages workers/2 times per epoch; {@code auto} leaves the rounds to
 * the engine's measurement (AutoAveragingTest); a number is taken as given.
 */
class AveragingFrequencySettingTest {
    private static int batchesPerRound(String value, int workers, int shardSize) {
        return TrainingConfig.defaults(null).with("workers", workers).with("averagingFrequency", value).build()
                .batchesPerRound(shardSize);
    }

    @Test
    void halfWorkersAveragesHalfTheWorkersTimesPerEpoch() {
        // 60,000 images in batches of 64: 469 minibatches per worker with 2 workers, 235 with 4, 118 with 8
        assertEquals(938, batchesPerRound("half-workers", 1, 60_000), "one worker: once per epoch");
        assertEquals(469, batchesPerRound("half-workers", 2, 30_000), "two workers: once per epoch");
        assertEquals(118, batchesPerRound("half-workers", 4, 15_000), "four workers: twice");
        assertEquals(30, batchesPerRound("half-workers", 8, 7_500), "eight workers: 4 rounds, 30+30+30+28");
    }

    @Test
    void aNumberIsTakenAsGiven() {
        assertEquals(30, batchesPerRound("30", 2, 30_000));
        assertEquals(469, batchesPerRound("0", 8, 30_000), "0: once per epoch");
    }

    @Test
    void autoIsPlannedByTheEngineAndRefusedByDl4js() {
        assertEquals(TrainingConfig.AUTO_AVERAGING, TrainingConfig.defaults(null).with("averagingFrequency", "auto")
                .build().averagingFrequency());
        assertEquals(469, batchesPerRound("auto", 2, 30_000), "without the engine's plan: once per epoch");
        ConfigException dl4j = assertThrows(ConfigException.class, () -> TrainingConfig.defaults(null)
                .with("averagingFrequency", "auto").with("engine", "dl4j").build());
        assertEquals("--averaging-frequency auto is not supported by --engine dl4j; use --engine spark, a number or"
                + " half-workers", dl4j.getMessage());
        ConfigException typo = assertThrows(ConfigException.class,
                () -> DeclaredSetting.named("averagingFrequency").parse("half"));
        assertEquals("--averaging-frequency must be a whole number at least 0 or auto or half-workers, found 'half'",
                typo.getMessage());
    }

    @Test
    void theFastRecipeKeepsHalfTheWorkers() {
        TrainingConfig fast = TrainingConfig.defaults("fast").build();
        assertEquals(TrainingConfig.HALF_WORKERS_AVERAGING, fast.averagingFrequency());
        assertEquals("half-workers", Json.mapper().valueToTree(fast).get("averaging_frequency").asText());
    }

    @Test
    void theRunsRecordsSayAutoAndACopyKeepsIt() {
        TrainingConfig auto = TrainingConfig.defaults("fast").with("averagingFrequency", "auto").build();
        assertEquals("auto", Json.mapper().valueToTree(auto).get("averaging_frequency").asText());
        assertEquals(30, Json.mapper().valueToTree(auto.toBuilder().with("averagingFrequency", 30).build())
                .get("averaging_frequency").asInt());
        assertEquals(auto, auto.toBuilder().build());
    }
}
