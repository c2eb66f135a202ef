package dev.customersessions.session.graphql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import dev.customersessions.session.CartItem;
import dev.customersessions.session.CustomerSessionService;

/**
 * The carts of the sessions of one GraphQL request, loaded once for all of them: the cart items and the totals of
 * a page of sessions cost two statements however many sessions and fields are asked for.
 */
@RequestScoped
public class CartLoader {

    @Inject
    CustomerSessionService service;

    private final Map<Long, List<CartItem>> loaded = new HashMap<>();

    /** The carts of the given sessions, in their order. */
    List<List<CartItem>> cartsOf(List<CustomerSessionType> sessions) {
        Set<Long> missing = new LinkedHashSet<>();
        for (CustomerSessionType session : sessions) {
            if (session.cart == null && !loaded.containsKey(session.id)) {
                missing.add(session.id);
            }
        }
        if (!missing.isEmpty()) {
            loaded.putAll(service.cartsOf(missing));
        }
        List<List<CartItem>> carts = new ArrayList<>(sessions.size());
        for (CustomerSessionType session : sessions) {
            carts.add(session.cart != null ? session.cart : loaded.get(session.id));
        }
        return carts;
    }
}
