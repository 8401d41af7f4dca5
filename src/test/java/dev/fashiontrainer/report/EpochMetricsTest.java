package dev.fashiontrainer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Naming the slowest worker on the epoch line. */
class EpochMetricsTest {
    private static EpochMetrics withStepSeconds(List<Double> seconds) {
        return new EpochMetrics(1, 0.5, 0.5, 0.8, 3.0, 20_000, 0.001, 1, 0.5, 0, seconds);
    }

    @Test
    void aWorkerAtOneAndAHalfTimesTheMedianIsTheStraggler() {
        assertEquals(Optional.of(2), withStepSeconds(List.of(1.0, 1.1, 1.6, 0.9)).straggler()); // median 1.05
        assertEquals(1.05, withStepSeconds(List.of(1.0, 1.1, 1.6, 0.9)).medianStepSeconds(), 1e-12);
        assertEquals(Optional.empty(), withStepSeconds(List.of(1.0, 1.1, 1.5, 0.9)).straggler());
    }

    @Test
    void noStragglerWithoutTimesOrWithOneWorker() {
        assertEquals(Optional.empty(), withStepSeconds(null).straggler()); // a checkpoint from before they were kept
        assertEquals(Optional.empty(), withStepSeconds(List.of()).straggler()); // DL4J's engine
        assertEquals(Optional.empty(), withStepSeconds(List.of(2.0)).straggler());
    }

    @Test
    void twoWorkersAreComparedWithTheirMean() {
        assertEquals(Optional.of(1), withStepSeconds(List.of(1.0, 3.0)).straggler()); // median 2.0, 3.0 = 1.5x
        assertEquals(Optional.empty(), withStepSeconds(List.of(1.0, 2.9)).straggler());
    }
}
