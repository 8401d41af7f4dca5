package dev.fashiontrainer.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Adding minibatches by epoch and worker, and reading an accumulator a task is still deserializing. */
class ProgressAccumulatorTest {

    @Test
    void minibatchesAddUpByEpochAndWorker() {
        ProgressAccumulator task1 = new ProgressAccumulator();
        task1.minibatch(1, 0, 64, 2.0, 0.01);
        task1.minibatch(1, 0, 32, 1.0, 0.02);
        ProgressAccumulator task2 = new ProgressAccumulator();
        task2.minibatch(1, 1, 64, 3.0, 0.03);

        ProgressAccumulator driver = new ProgressAccumulator();
        driver.merge(task2);
        driver.merge(task1);
        List<WorkerProgress> value = driver.value();
        assertEquals(2, value.size());
        assertEquals(new WorkerProgress(1, 0, 2, 96, 160.0, 0.03), value.get(0)); // sorted by worker
        assertEquals(1, value.get(1).worker());
        assertEquals(160.0 / 96, value.get(0).meanLoss(), 1e-12);
    }

    // Spark registers the accumulator with its task (where heartbeats read it) before this class's fields are read.
    @Test
    void beforeItsFieldsAreReadItIsEmptyNotBroken() throws ReflectiveOperationException {
        ProgressAccumulator deserializing = new ProgressAccumulator();
        Field slots = ProgressAccumulator.class.getDeclaredField("slots");
        slots.setAccessible(true);
        slots.set(deserializing, null);

        assertTrue(deserializing.isZero());
        assertEquals(List.of(), deserializing.value());
        assertTrue(deserializing.copy().isZero());
        deserializing.minibatch(2, 1, 64, 0.5, 0.01);
        assertEquals(64, deserializing.value().get(0).examples());
    }
}
