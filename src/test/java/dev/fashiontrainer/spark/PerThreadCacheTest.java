package dev.fashiontrainer.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class PerThreadCacheTest {

    @Test
    void keepsTheMostRecentlyUsedValuesOnly() {
        PerThreadCache<String, Object> cache = new PerThreadCache<>(2, value -> { });
        AtomicInteger built = new AtomicInteger();
        Object a = cache.get("a", key -> new Object[] {key, built.incrementAndGet()});
        cache.get("b", key -> new Object[] {key, built.incrementAndGet()});
        assertSame(a, cache.get("a", key -> new Object()), "a value in the cache is reused");
        cache.get("c", key -> new Object[] {key, built.incrementAndGet()}); // evicts b, used least recently
        assertSame(a, cache.get("a", key -> new Object()));
        cache.get("b", key -> new Object[] {key, built.incrementAndGet()});
        assertEquals(4, built.get(), "b was built again after its eviction");
    }

    /** What a cache drops holds native memory that should go then, not when the garbage collector gets to it. */
    @Test
    void releasesEachEvictedValueOnce() {
        List<String> released = new ArrayList<>();
        PerThreadCache<String, String> cache = new PerThreadCache<>(2, released::add);
        cache.get("a", key -> key);
        cache.get("b", key -> key);
        cache.get("a", key -> key);
        assertEquals(List.of(), released, "nothing is released while it fits");
        cache.get("c", key -> key);
        assertEquals(List.of("b"), released, "the least recently used value is released when evicted");
        cache.get("d", key -> key);
        assertEquals(List.of("b", "a"), released);
    }

    @Test
    void eachThreadHasItsOwnValues() throws InterruptedException {
        PerThreadCache<String, Object> cache = new PerThreadCache<>(1, value -> { });
        Object mine = cache.get("k", key -> new Object());
        Object[] theirs = new Object[1];
        Thread other = new Thread(() -> theirs[0] = cache.get("k", key -> new Object()));
        other.start();
        other.join();
        assertNotSame(mine, theirs[0]);
    }
}
