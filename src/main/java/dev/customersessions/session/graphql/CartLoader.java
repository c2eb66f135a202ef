package dev.customersessions.session.graphql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import dev.customersessions.engine.RequestLimitsConfig;
import dev.customersessions.session.CartLine;
import dev.customersessions.session.CustomerSessionService;

/**
 * The carts (and returns) of the sessions of one GraphQL request, loaded once for all of them: the cart items and the totals of
 * a page of sessions cost two statements however many sessions and fields are asked for.
 */
@RequestScoped
public class CartLoader {

    @Inject
    CustomerSessionService service;

    @Inject
    RequestLimitsConfig limits;

    private final Map<Long, List<CartLine>> loaded = new HashMap<>();
    /** Database rows of cart lines read so far by this request: bounded by customer-sessions.limits.cart-lines. */
    private int linesRead;
    private final Map<Long, List<CartItemReturnType>> loadedReturns = new HashMap<>();

    /** Cart line rows this request may still read (customer-sessions.limits.cart-lines less what it has read). */
    int remainingLines() {
        return limits.cartLines() - linesRead;
    }

    /** Counts a cart read elsewhere (with its session) against this request's budget. */
    void charge(List<CartLine> cart) {
        linesRead += cart.stream().mapToInt(line -> Math.max(1, line.costs().size())).sum();
    }

    /** The carts of the given sessions, in their order. */
    List<List<CartLine>> cartsOf(List<CustomerSessionType> sessions) {
        missingByApplication(sessions, session -> session.cart == null && !loaded.containsKey(session.id)).forEach((applicationId, missing) -> {
            Map<Long, List<CartLine>> carts = service.cartsOf(applicationId, missing, remainingLines());
            carts.values().forEach(this::charge);
            loaded.putAll(carts);
        });
        List<List<CartLine>> carts = new ArrayList<>(sessions.size());
        for (CustomerSessionType session : sessions) {
            carts.add(session.cart != null ? session.cart : loaded.get(session.id));
        }
        return carts;
    }

    /** The returns of the given sessions, in their order: loaded only for sessions that can have any. */
    List<List<CartItemReturnType>> returnsOf(List<CustomerSessionType> sessions) {
        missingByApplication(sessions, session -> session.returnTypes == null && session.mayHaveReturns()
                && !loadedReturns.containsKey(session.id)).forEach((applicationId, missing) -> service.returnsOf(applicationId, missing)
                        .forEach((id, returns) -> loadedReturns.put(id, CartItemReturnType.of(returns))));
        List<List<CartItemReturnType>> returns = new ArrayList<>(sessions.size());
        for (CustomerSessionType session : sessions) {
            returns.add(session.returnTypes != null ? session.returnTypes
                    : session.mayHaveReturns() ? loadedReturns.get(session.id) : List.of());
        }
        return returns;
    }

    /**
     * The ids of the sessions that are missing something, by application: each application's are read in one statement
     * that names it, so that a database sharded by application reads them on one node. (The sessions of one request
     * are its caller's application's: one statement.)
     */
    private static Map<Long, Set<Long>> missingByApplication(List<CustomerSessionType> sessions, Predicate<CustomerSessionType> missing) {
        Map<Long, Set<Long>> ids = new LinkedHashMap<>();
        for (CustomerSessionType session : sessions) {
            if (missing.test(session)) {
                ids.computeIfAbsent(session.applicationId, application -> new LinkedHashSet<>()).add(session.id);
            }
        }
        return ids;
    }
}
