package dev.customersessions.application;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A cache of values read from the database, kept only while every replica can evict it at once: entries are
 * evicted by {@link Invalidations} (PostgreSQL {@code LISTEN/NOTIFY}, so a change committed by any replica evicts
 * them everywhere within milliseconds), expire after a short upper bound as a safety net, and are not used at all
 * while the notification connection is down.
 *
 * <p>A value read while an eviction happened is served but not kept: the eviction may have been meant for it.
 *
 * @param <V> the cached value; absent values ({@link Optional#empty()}) are never kept
 */
public final class SharedCache<V> {

    private record Entry<V>(V value, long loadedNanos) {
    }

    private final String name;
    private final int maxEntries;
    private final Map<String, Entry<V>> entries = new ConcurrentHashMap<>();
    /** Raised by every eviction; a load that saw it change keeps nothing. */
    private final AtomicLong evictions = new AtomicLong();
    private volatile long maxAgeNanos;
    private volatile boolean usable;

    SharedCache(String name, int maxEntries) {
        this.name = name;
        this.maxEntries = maxEntries;
    }

    /** The namespace of this cache's keys in notifications. */
    public String name() {
        return name;
    }

    /** The value for the key: kept, or loaded (and kept when present and while the cache is usable). */
    public Optional<V> get(String key, Supplier<Optional<V>> load) {
        if (!usable) {
            return load.get();
        }
        Entry<V> entry = entries.get(key);
        long now = System.nanoTime();
        if (entry != null && now - entry.loadedNanos < maxAgeNanos) {
            return Optional.of(entry.value);
        }
        long evictionsBefore = evictions.get();
        Optional<V> loaded = load.get();
        if (loaded.isPresent() && usable) {
            if (entries.size() >= maxEntries) {
                entries.clear(); // a crude bound; a full cache is refilled by the next requests
            }
            // Kept only if no eviction came meanwhile (checked atomically with the put: an eviction bumps the count
            // before it removes); otherwise whatever is there stays, such as a fresher value another request loaded.
            Entry<V> fresh = new Entry<>(loaded.get(), now);
            entries.compute(key, (k, current) -> evictions.get() == evictionsBefore ? fresh : current);
        } else if (entry != null) {
            entries.remove(key, entry);
        }
        return loaded;
    }

    void evict(String key) {
        evictions.incrementAndGet();
        entries.remove(key);
    }

    void evictAll() {
        evictions.incrementAndGet();
        entries.clear();
    }

    void configure(long maxAgeNanos) {
        this.maxAgeNanos = maxAgeNanos;
    }

    /** Usable only while notifications arrive: switching either way forgets everything. */
    void usable(boolean usable) {
        evictAll();
        this.usable = usable;
        evictAll();
    }

    int size() {
        return entries.size();
    }
}
