package dev.customersessions.session.graphql;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import jakarta.inject.Inject;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Source;

import dev.customersessions.common.LoggedFailures;
import dev.customersessions.session.CartLine;
import dev.customersessions.session.CartTotals;

/**
 * The fields of a customer session that depend on its cart. Each is batched: one call per request level, whatever
 * the number of sessions, and results in the order of the sessions.
 */
@GraphQLApi
@LoggedFailures
public class CustomerSessionFieldResolvers {

    @Inject
    CartLoader carts;

    @NonNull
    @Description("The cart, in the order sent (by position).")
    public List<@NonNull List<@NonNull CartItemType>> cartItems(@Source List<CustomerSessionType> sessions) {
        List<List<CartLine>> loaded = carts.cartsOf(sessions);
        List<List<CartItemType>> result = new ArrayList<>(sessions.size());
        for (int i = 0; i < sessions.size(); i++) {
            List<CartItemType> built = sessions.get(i).cartTypes;
            result.add(built != null ? built : loaded.get(i).stream().map(CartItemType::of).toList());
        }
        return result;
    }

    @NonNull
    @Description("Σ price × quantity over the cart items. Exact.")
    public List<@NonNull BigDecimal> cartItemTotal(@Source List<CustomerSessionType> sessions) {
        return totals(sessions, CartTotals::cartItemTotal);
    }

    @NonNull
    @Description("Σ over the cart items of Σ their additional costs' price × quantity. Exact.")
    public List<@NonNull BigDecimal> cartItemAdditionalCostTotal(@Source List<CustomerSessionType> sessions) {
        return totals(sessions, CartTotals::cartItemAdditionalCostTotal);
    }

    @NonNull
    @Description("cartItemTotal + additionalCostTotal + cartItemAdditionalCostTotal. Exact.")
    public List<@NonNull BigDecimal> total(@Source List<CustomerSessionType> sessions) {
        return totals(sessions, CartTotals::total);
    }

    @NonNull
    @Description("Σ price × returnedQuantity over the cart items: the value returned so far. Exact. Returns do not change the other totals.")
    public List<@NonNull BigDecimal> returnedCartItemTotal(@Source List<CustomerSessionType> sessions) {
        return totals(sessions, CartTotals::returnedCartItemTotal);
    }

    @NonNull
    @Description("The returns of the session's cart items, oldest first (at most 100).")
    public List<@NonNull List<@NonNull CartItemReturnType>> returns(@Source List<CustomerSessionType> sessions) {
        return carts.returnsOf(sessions);
    }

    private List<BigDecimal> totals(List<CustomerSessionType> sessions, Function<CartTotals, BigDecimal> which) {
        List<List<CartLine>> loaded = carts.cartsOf(sessions);
        List<BigDecimal> result = new ArrayList<>(sessions.size());
        for (int i = 0; i < sessions.size(); i++) {
            CustomerSessionType session = sessions.get(i);
            if (session.totals == null) { // once per session and request, however many totals are asked for
                session.totals = CartTotals.of(loaded.get(i), session.sessionCosts);
            }
            result.add(which.apply(session.totals));
        }
        return result;
    }
}
