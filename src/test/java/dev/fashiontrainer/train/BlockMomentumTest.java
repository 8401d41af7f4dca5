package dev.fashiontrainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import dev.fashiontrainer.config.BlockMomentumKind;
import dev.fashiontrainer.model.ParameterSnapshot;

/** The driver's step with block momentum, on hand-made parameter vectors. */
class BlockMomentumTest {
    private static ParameterSnapshot snapshot(float... parameters) {
        return new ParameterSnapshot(parameters, new float[] {7f});
    }

    @Test
    void withoutMomentumTheNextModelIsTheAverageItself() {
        ParameterSnapshot average = snapshot(1f, 2f);
        assertSame(average, new BlockMomentum(0, BlockMomentumKind.CLASSIC).next(snapshot(0f, 0f), average));
    }

    @Test
    void theFirstRoundTakesTheAverageAndLaterRoundsAddMomentumTimesThePreviousStep() {
        BlockMomentum driver = new BlockMomentum(0.5, BlockMomentumKind.CLASSIC);
        ParameterSnapshot first = driver.next(snapshot(0f, 10f), snapshot(2f, 6f));
        assertArrayEquals(new float[] {2f, 6f}, first.parameters(), "no previous step yet: the average");

        // this round's displacement (1, 1) plus half the previous step (2, -4)
        ParameterSnapshot second = driver.next(first, snapshot(3f, 7f));
        assertArrayEquals(new float[] {4f, 5f}, second.parameters());
        assertArrayEquals(new float[] {7f}, second.updaterState(), "the updater state is the averaged one");
    }

    @Test
    void theNesterovKindKeepsTheAverageAndStartsTheWorkersAheadByTheMomentumsNextStep() {
        BlockMomentum driver = new BlockMomentum(0.5, BlockMomentumKind.NESTEROV);
        ParameterSnapshot model = snapshot(0f, 10f);
        assertSame(model, driver.workersStart(model), "no previous step yet: the workers start from the model");
        ParameterSnapshot first = driver.next(model, snapshot(2f, 6f));
        assertArrayEquals(new float[] {2f, 6f}, first.parameters());

        // the driver's step was (2, -4): the workers start half of it ahead of the average
        ParameterSnapshot start = driver.workersStart(first);
        assertArrayEquals(new float[] {3f, 4f}, start.parameters());
        assertArrayEquals(new float[] {7f}, start.updaterState());

        // the average is kept; the step is this round's displacement (1, 1) plus half the previous one, (2, -1)
        ParameterSnapshot second = driver.next(start, snapshot(4f, 5f));
        assertArrayEquals(new float[] {4f, 5f}, second.parameters());
        assertArrayEquals(new float[] {5f, 4.5f}, driver.workersStart(second).parameters());
    }

    @Test
    void aRestoredStateContinuesExactlyAsTheUninterruptedOne() {
        BlockMomentum uninterrupted = new BlockMomentum(0.5, BlockMomentumKind.CLASSIC);
        ParameterSnapshot first = uninterrupted.next(snapshot(0f, 10f), snapshot(2f, 6f));

        BlockMomentum resumed = new BlockMomentum(0.5, BlockMomentumKind.CLASSIC);
        resumed.restore(uninterrupted.state());

        ParameterSnapshot average = snapshot(3f, 7f);
        assertArrayEquals(uninterrupted.next(first, average).parameters(), resumed.next(first, average).parameters());
    }

    @Test
    void aStepOfAnotherModelSizeIsRefused() {
        BlockMomentum driver = new BlockMomentum(0.5, BlockMomentumKind.CLASSIC);
        driver.restore(new float[3]);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> driver.next(snapshot(0f, 0f), snapshot(1f, 1f)));
        assertEquals("expected a previous step of 2 parameters, found 3", e.getMessage());
    }
}
