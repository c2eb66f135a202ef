package dev.customersessions.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.customersessions.CustomerSessionsConfig;
import dev.customersessions.CustomerSessionsConfig.Bucket;
import dev.customersessions.application.ApiKeyGrant;
import dev.customersessions.application.ApiKeyKind;

/**
 * Token buckets per API key and per client address, on this instance: a request is charged its cost before it runs
 * from every bucket that applies to it, and only when all of them hold enough; what it did not use is given back
 * afterwards. Secret and restricted keys have one bucket each; a publishable key (which sits in every shopper's page)
 * has one for all its pages and each client address one more; a request without a valid API key is charged to its
 * client address. Requests with the valid management key are not limited.
 */
@ApplicationScoped
public class RateLimiter {

    @Inject
    CustomerSessionsConfig config;

    private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    /** The buckets this request is charged to; empty when it is not limited. */
    public List<TokenBucket> bucketsOf(Optional<ApiKeyGrant> key, boolean managementKey, String clientAddress) {
        if (!config.rateLimits().enabled() || key.isEmpty() && managementKey) {
            return List.of();
        }
        List<TokenBucket> found = new ArrayList<>(2);
        if (key.isPresent()) {
            boolean publishable = key.get().kind() == ApiKeyKind.PUBLISHABLE;
            found.add(bucket("key:" + key.get().keyId(), publishable ? config.rateLimits().publishableKey() : config.rateLimits().secretKey()));
            if (!publishable) {
                return found;
            }
        }
        found.add(bucket("address:" + network(clientAddress), config.rateLimits().clientAddress()));
        return found;
    }

    /**
     * The part of a client address that one client controls: the whole IPv4 address, an IPv6 address's /64 (a single
     * host commonly gets a whole /64, and could otherwise take a fresh address for every request).
     */
    static String network(String address) {
        if (address == null || address.indexOf(':') < 0) {
            return address;
        }
        try {
            byte[] bytes = InetAddress.getByName(address).getAddress(); // a literal: no name lookup
            return bytes.length == 16 ? HexFormat.of().formatHex(bytes, 0, 8) + "::/64" : address;
        } catch (UnknownHostException e) {
            return address;
        }
    }

    private TokenBucket bucket(String id, Bucket limits) {
        TokenBucket bucket = buckets.get(id);
        if (bucket != null) {
            return bucket;
        }
        if (buckets.size() >= config.rateLimits().maxBuckets()) {
            synchronized (this) {
                long now = System.nanoTime();
                if (now - sweptAt > 1_000_000_000L) { // at most once a second: a sweep reads every bucket
                    sweptAt = now;
                    buckets.values().removeIf(idle -> idle.isFull(now)); // dropping a full bucket changes nothing
                }
            }
            if (buckets.size() >= config.rateLimits().maxBuckets()) {
                // Full of clients still spending: a newcomer shares one bucket with every other newcomer until idle
                // buckets make room, so that memory stays bounded whatever the number of clients.
                return buckets.computeIfAbsent("overflow:" + id.substring(0, id.indexOf(':')),
                        any -> new TokenBucket(limits.maximum(), limits.restoreRate()));
            }
        }
        return buckets.computeIfAbsent(id, any -> new TokenBucket(limits.maximum(), limits.restoreRate()));
    }

    private long sweptAt;

    /**
     * Takes {@code cost} points from every bucket, or from none when one of them holds too little.
     *
     * @return the outcome, with the status of the bucket with the fewest points left
     */
    public Charge charge(List<TokenBucket> charged, long cost) {
        synchronized (this) { // a request charges one or two buckets; all-or-nothing across them
            long now = System.nanoTime();
            charged.forEach(bucket -> bucket.refill(now));
            TokenBucket tightest = charged.stream().min(Comparator.comparingDouble(TokenBucket::available)).orElseThrow();
            TokenBucket smallest = charged.stream().min(Comparator.comparingInt(bucket -> bucket.maximum)).orElseThrow();
            if (cost > smallest.maximum) {
                return new Charge(false, -1, smallest.status()); // it would never fit: no use waiting
            }
            long retryAfter = 0;
            TokenBucket shortest = null;
            for (TokenBucket bucket : charged) {
                if (bucket.available() < cost) {
                    long wait = Math.max(1, (long) Math.ceil((cost - bucket.available()) / bucket.restoreRate));
                    if (wait > retryAfter) {
                        retryAfter = wait;
                        shortest = bucket;
                    }
                }
            }
            if (shortest != null) {
                return new Charge(false, retryAfter, shortest.status());
            }
            charged.forEach(bucket -> bucket.take(cost));
            return new Charge(true, 0, tightest.status());
        }
    }

    /** Gives back what a request was charged but did not use; the status afterwards. */
    public ThrottleStatus refund(List<TokenBucket> charged, long points) {
        synchronized (this) {
            long now = System.nanoTime();
            charged.forEach(bucket -> {
                bucket.refill(now);
                bucket.take(-points);
            });
            return charged.stream().min(Comparator.comparingDouble(TokenBucket::available)).orElseThrow().status();
        }
    }

    /**
     * The outcome of a charge.
     *
     * @param accepted          whether the request may run
     * @param retryAfterSeconds when it was not: the seconds until it could be (-1: never, it costs more than the
     *                          bucket holds)
     * @param status            the tightest bucket's state
     */
    public record Charge(boolean accepted, long retryAfterSeconds, ThrottleStatus status) {
    }

    /** A bucket's state, in the names of Shopify's throttleStatus. */
    public record ThrottleStatus(int maximumAvailable, long currentlyAvailable, int restoreRate) {
    }

    /** One bucket: at most {@code maximum} points, regaining {@code restoreRate} points a second. */
    public static final class TokenBucket {
        private final int maximum;
        private final int restoreRate;
        private double points;
        private long refilledAt = System.nanoTime();

        TokenBucket(int maximum, int restoreRate) {
            this.maximum = maximum;
            this.restoreRate = restoreRate;
            this.points = maximum;
        }

        private void refill(long now) {
            points = Math.min(maximum, points + (now - refilledAt) / 1e9 * restoreRate);
            refilledAt = now;
        }

        private void take(long cost) {
            points = Math.min(maximum, points - cost);
        }

        private double available() {
            return points;
        }

        private boolean isFull(long now) {
            refill(now);
            return points >= maximum;
        }

        private ThrottleStatus status() {
            return new ThrottleStatus(maximum, (long) Math.floor(points), restoreRate);
        }
    }
}
