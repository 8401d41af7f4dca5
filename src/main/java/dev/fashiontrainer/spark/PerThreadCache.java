package dev.fashiontrainer.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Values an executor's task threads keep from one task to the next (a network with its arrays, built once per
 * thread instead of once per task), at most a few per thread: an executor that serves many runs or models, a
 * notebook's long-lived context say, would otherwise keep every one it ever built. The least recently used value
 * goes first.
 *
 * @param <K> what a value is built from (a run's settings, a model's configuration)
 * @param <V> the value
 */
public final class PerThreadCache<K, V> {
    private final ThreadLocal<Map<K, V>> values;

    /** @param capacity values kept per thread, at least 1 */
    public PerThreadCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("expected a capacity of at least 1, found " + capacity);
        }
        this.values = ThreadLocal.withInitial(() -> new LinkedHashMap<>(capacity + 1, 1f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        });
    }

    /**
     * @param key what the value is built from
     * @param create builds the value when this thread has none for {@code key}
     * @return this thread's value for {@code key}
     */
    public V get(K key, Function<K, V> create) {
        return values.get().computeIfAbsent(key, create);
    }
}
