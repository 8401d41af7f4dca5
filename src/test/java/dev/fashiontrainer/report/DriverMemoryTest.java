package dev.fashiontrainer.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Two runs in one JVM (a notebook, the tests): each reports its own memory peaks. */
class DriverMemoryTest {
    private static final long MB = 1_000_000;

    @Test
    void aSecondRunReportsItsOwnPeakNotTheFirstRunsOne() throws InterruptedException {
        DriverMemory.watch();
        byte[][] held = new byte[300][];
        for (int i = 0; i < held.length; i++) {
            held[i] = new byte[(int) MB]; // 300 MB that survive a collection
        }
        Map<String, Object> first = liveAfterCollection(300 * MB);
        held = null;
        System.gc(); // the pools' peaks restart from the heap in use: the first run's garbage would count

        DriverMemory.watch(); // the second run starts
        Map<String, Object> second = liveAfterCollection(1);

        long firstLive = (long) first.get("heap_live_peak_bytes");
        long secondLive = (long) second.get("heap_live_peak_bytes");
        assertTrue(secondLive < firstLive - 250 * MB, "the second run's live heap peak " + secondLive / MB
                + " MB, the first's " + firstLive / MB + " MB");
        long firstPeak = (long) first.get("heap_peak_bytes");
        long secondPeak = (long) second.get("heap_peak_bytes");
        assertTrue(secondPeak < firstPeak - 250 * MB, "the second run's heap peak " + secondPeak / MB
                + " MB, the first's " + firstPeak / MB + " MB");
    }

    /** Collects, then waits for the collection's notification to bring the live peak to {@code atLeast}. */
    private static Map<String, Object> liveAfterCollection(long atLeast) throws InterruptedException {
        System.gc();
        long deadline = System.nanoTime() + 10_000_000_000L;
        Map<String, Object> figures = DriverMemory.figures();
        while ((long) figures.get("heap_live_peak_bytes") < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(50); // the JVM delivers the notification on a thread of its own
            figures = DriverMemory.figures();
        }
        assertTrue((long) figures.get("heap_live_peak_bytes") >= atLeast, "no collection seen: " + figures);
        return figures;
    }
}
