package dev.fashiontrainer.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * At most a fixed number of values, the least recently used going first, each evicted value handed to a release
 * action. The values kept here hold ND4J arrays, whose native memory the JVM does not count: left to the garbage
 * collector, an evicted value that has lived long enough to be tenured keeps its native memory until an old
 * generation collection, which a heap with room to spare may not run for a long time. Releasing it on eviction
 * frees that memory at once. Not thread-safe: one owner at a time.
 *
 * @param <K> what a value is built from
 * @param <V> the value
 */
public final class LruCache<K, V> {
    private final Map<K, V> values;
    private final Consumer<? super V> release;

    /**
     * @param capacity values kept, at least 1
     * @param release called with each evicted value, which must not be used afterwards
     */
    public LruCache(int capacity, Consumer<? super V> release) {
        if (capacity < 1) {
            throw new IllegalArgumentException("expected a capacity of at least 1, found " + capacity);
        }
        this.release = release;
        this.values = new LinkedHashMap<>(capacity + 1, 1f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                if (size() <= capacity) {
                    return false;
                }
                release.accept(eldest.getValue());
                return true;
            }
        };
    }

    /**
     * @param key what the value is built from
     * @param create builds the value when there is none for {@code key}
     * @return the value for {@code key}
     */
    public V get(K key, Function<K, V> create) {
        return values.computeIfAbsent(key, create);
    }

    /** Releases every value and forgets them all. */
    public void clear() {
        values.values().forEach(release);
        values.clear();
    }
}
