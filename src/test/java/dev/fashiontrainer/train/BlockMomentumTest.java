package dev.fashiontrainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import dev.fashiontrainer.model.ParameterSnapshot;

/** The driver's step with block momentum, on hand-made parameter vectors. */
class BlockMomentumTest {
    private static ParameterSnapshot snapshot(float... parameters) {
        return new ParameterSnapshot(parameters, new float[] {7f});
    }

    @Test
    void withoutMomentumTheNextModelIsTheAverageItself() {
        ParameterSnapshot average = snapshot(1f, 2f);
        assertSame(average, new BlockMomentum(0).next(snapshot(0f, 0f), average));
    }

    @Test
    void theFirstRoundTakesTheAverageAndLaterRoundsAddMomentumTimesThePreviousStep() {
        BlockMomentum driver = new BlockMomentum(0.5);
        ParameterSnapshot first = driver.next(snapshot(0f, 10f), snapshot(2f, 6f));
        assertArrayEquals(new float[] {2f, 6f}, first.parameters(), "no previous step yet: the average");

        // this round's displacement (1, 1) plus half the previous step (2, -4)
        ParameterSnapshot second = driver.next(first, snapshot(3f, 7f));
        assertArrayEquals(new float[] {4f, 5f}, second.parameters());
        assertArrayEquals(new float[] {7f}, second.updaterState(), "the updater state is the averaged one");
    }

    @Test
    void aRestoredStateContinuesExactlyAsTheUninterruptedOne() {
        BlockMomentum uninterrupted = new BlockMomentum(0.5);
        ParameterSnapshot first = uninterrupted.next(snapshot(0f, 10f), snapshot(2f, 6f));

        BlockMomentum resumed = new BlockMomentum(0.5);
        resumed.restore(uninterrupted.state());

        ParameterSnapshot average = snapshot(3f, 7f);
        assertArrayEquals(uninterrupted.next(first, average).parameters(), resumed.next(first, average).parameters());
    }

    @Test
    void aStepOfAnotherModelSizeIsRefused() {
        BlockMomentum driver = new BlockMomentum(0.5);
        driver.restore(new float[3]);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> driver.next(snapshot(0f, 0f), snapshot(1f, 1f)));
        assertEquals("expected a previous step of 2 parameters, found 3", e.getMessage());
    }
}
