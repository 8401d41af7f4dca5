package dev.fashiontrainer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.fashiontrainer.report.Json;

/** {@code --averaging-frequency auto} averages workers/2 times per epoch; a number is taken as given. */
class AveragingFrequencySettingTest {
    private static int batchesPerRound(String value, int workers, int shardSize) {
        return TrainingConfig.defaults(null).with("workers", workers).with("averagingFrequency", value).build()
                .batchesPerRound(shardSize);
    }

    @Test
    void autoAveragesHalfTheWorkersTimesPerEpoch() {
        // 60,000 images in batches of 64: 469 minibatches per worker with 2 workers, 235 with 4, 118 with 8
        assertEquals(938, batchesPerRound("auto", 1, 60_000), "one worker: once per epoch");
        assertEquals(469, batchesPerRound("auto", 2, 30_000), "two workers: once per epoch");
        assertEquals(118, batchesPerRound("auto", 4, 15_000), "four workers: twice");
        assertEquals(30, batchesPerRound("auto", 8, 7_500), "eight workers: 4 rounds, 30+30+30+28");
    }

    @Test
    void aNumberIsTakenAsGiven() {
        assertEquals(30, batchesPerRound("30", 2, 30_000));
        assertEquals(469, batchesPerRound("0", 8, 30_000), "0: once per epoch");
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
