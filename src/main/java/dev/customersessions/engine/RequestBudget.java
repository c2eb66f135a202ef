package dev.customersessions.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.customersessions.application.ApiKeyGrant;
import dev.customersessions.auth.Caller;
import dev.customersessions.auth.RateLimiter;
import dev.customersessions.auth.RateLimiter.Charge;
import dev.customersessions.auth.RateLimiter.ThrottleStatus;
import dev.customersessions.auth.RateLimiter.TokenBucket;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.HttpServerRequest;

/**
 * One request's charge against the rate limits ({@link RateLimiter}): taken before the operation runs, settled after it
 * with what it actually cost, and reported in the answer's {@code extensions.cost} in the names of Shopify's GraphQL
 * API ({@code requestedQueryCost}, {@code actualQueryCost}, {@code throttleStatus}).
 */
final class RequestBudget {

    static final String CONTEXT_KEY = RequestBudget.class.getName();

    private final RateLimiter limiter;
    private final QueryCost cost;
    private final List<TokenBucket> buckets;
    private final Charge charge;
    private ThrottleStatus settled;
    private long actual;

    private RequestBudget(QueryCost cost, List<TokenBucket> buckets, Charge charge, RateLimiter limiter) {
        this.limiter = limiter;
        this.cost = cost;
        this.buckets = buckets;
        this.charge = charge;
    }

    /** Charges the request that runs now (its key or its client address, see {@link RateLimiter}) the operation's cost. */
    static RequestBudget charge(QueryCost cost, Caller caller, RateLimiter limiter, CurrentVertxRequest current) {
        HttpServerRequest http = current.getCurrent() == null ? null : current.getCurrent().request();
        // The socket's address, or the forwarded one where quarkus.http.proxy settings trust a proxy's header.
        String address = http == null || http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress();
        Optional<ApiKeyGrant> key;
        try {
            key = caller.presentedKey();
        } catch (RuntimeException databaseFailure) {
            // Charged to the address now; the operation looks the key up again and answers the failure (BUSY) itself.
            key = Optional.empty();
        }
        List<TokenBucket> buckets = limiter.bucketsOf(key, caller.presentsManagementKey(), address);
        Charge charge = buckets.isEmpty() ? new Charge(true, 0, null) : limiter.charge(buckets, cost.requested());
        return new RequestBudget(cost, buckets, charge, limiter);
    }

    boolean accepted() {
        return charge.accepted();
    }

    /** The seconds after which the refused request could run; -1 when it never can. */
    long retryAfterSeconds() {
        return charge.retryAfterSeconds();
    }

    long requested() {
        return cost.requested();
    }

    /** Gives back what the operation did not use, given the result it produced. */
    void settle(Object data) {
        if (!charge.accepted() || settled != null) {
            return;
        }
        Map<String, Integer> returned = new LinkedHashMap<>();
        if (data instanceof Map<?, ?> root) {
            for (QueryCost.Listing listing : cost.listings()) {
                if (root.get(listing.responseKey()) instanceof Map<?, ?> connection) {
                    int nodes = connection.get("nodes") instanceof List<?> list ? list.size() : 0;
                    int edges = connection.get("edges") instanceof List<?> list ? list.size() : 0;
                    returned.put(listing.responseKey(), Math.max(nodes, edges));
                }
            }
        }
        actual = cost.actual(returned);
        settled = buckets.isEmpty() ? null : limiter.refund(buckets, cost.requested() - actual);
    }

    /** The answer's {@code extensions.cost}. */
    Map<String, Object> extension() {
        Map<String, Object> extension = new LinkedHashMap<>();
        extension.put("requestedQueryCost", cost.requested());
        extension.put("actualQueryCost", charge.accepted() ? actual : 0);
        ThrottleStatus status = settled != null ? settled : charge.status();
        if (status != null) {
            Map<String, Object> throttle = new LinkedHashMap<>();
            throttle.put("maximumAvailable", status.maximumAvailable());
            throttle.put("currentlyAvailable", status.currentlyAvailable());
            throttle.put("restoreRate", status.restoreRate());
            extension.put("throttleStatus", throttle);
        }
        return extension;
    }
}
