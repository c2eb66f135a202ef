package dev.customersessions.application;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The cache's own rules, without a database: what it keeps, and when it does not. */
class SharedCacheTest {

    private final AtomicInteger loads = new AtomicInteger();

    private Optional<Long> load(long value) {
        loads.incrementAndGet();
        return Optional.of(value);
    }

    private SharedCache<Long> usableCache(long maxAgeNanos) {
        SharedCache<Long> cache = new SharedCache<>("test", 10);
        cache.configure(maxAgeNanos);
        cache.usable(true);
        return cache;
    }

    @Test
    void keepsWhatItLoadedUntilEvicted() {
        SharedCache<Long> cache = usableCache(60_000_000_000L);
        assertEquals(Optional.of(1L), cache.get("k", () -> load(1)));
        assertEquals(Optional.of(1L), cache.get("k", () -> load(2)));
        assertEquals(1, loads.get(), "the second read was served from the cache");
        cache.evict("k");
        assertEquals(Optional.of(3L), cache.get("k", () -> load(3)));
    }

    @Test
    void keepsNothingWhileNotificationsDoNotArrive() {
        SharedCache<Long> cache = usableCache(60_000_000_000L);
        cache.get("k", () -> load(1));
        cache.usable(false);
        assertEquals(Optional.of(2L), cache.get("k", () -> load(2)), "emptied when the listener went down");
        assertEquals(Optional.of(3L), cache.get("k", () -> load(3)), "and bypassed");
        assertEquals(0, cache.size());
    }

    @Test
    void aValueLoadedWhileAnEvictionArrivedIsServedButNotKept() {
        SharedCache<Long> cache = usableCache(60_000_000_000L);
        assertEquals(Optional.of(1L), cache.get("k", () -> {
            cache.evict("k"); // the revocation's notification arrives while the old row is being read
            return load(1);
        }));
        assertEquals(0, cache.size());
        assertEquals(Optional.of(2L), cache.get("k", () -> load(2)));
    }

    @Test
    void entriesExpireAfterTheMaxAgeAndAbsentValuesAreNeverKept() throws InterruptedException {
        SharedCache<Long> cache = usableCache(1_000_000L); // 1 ms
        cache.get("k", () -> load(1));
        Thread.sleep(5);
        assertEquals(Optional.of(2L), cache.get("k", () -> load(2)), "expired");
        assertEquals(Optional.empty(), cache.get("gone", Optional::empty));
        assertEquals(1, cache.size());
    }
}
