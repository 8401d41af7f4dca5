package dev.fashiontrainer.spark;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Values an executor's task threads keep from one task to the next (a network with its arrays, built once per
 * thread instead of once per task), at most a few per thread: an executor that serves many runs or models, a
 * notebook's long-lived context say, would otherwise keep every one it ever built. The least recently used value
 * goes first, and is released at once ({@link LruCache}).
 *
 * @param <K> what a value is built from (a run's settings, a model's configuration)
 * @param <V> the value
 */
public final class PerThreadCache<K, V> {
    private final ThreadLocal<LruCache<K, V>> values;

    /**
     * @param capacity values kept per thread, at least 1
     * @param release called, on the thread that used it, with each evicted value, which is not used afterwards
     */
    public PerThreadCache(int capacity, Consumer<? super V> release) {
        if (capacity < 1) {
            throw new IllegalArgumentException("expected a capacity of at least 1, found " + capacity);
        }
        this.values = ThreadLocal.withInitial(() -> new LruCache<>(capacity, release));
    }

    /**
     * @param key what the value is built from
     * @param create builds the value when this thread has none for {@code key}
     * @return this thread's value for {@code key}
     */
    public V get(K key, Function<K, V> create) {
        return values.get().get(key, create);
    }
}
