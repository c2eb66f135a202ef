package dev.customersessions.session.graphql;

import java.util.List;
import java.util.Map;
import java.util.Set;

import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.customersessions.engine.EngineRegistration;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The session API's part in the engine: the types a cart holds many of are served by plain public-field reads, a
 * session's cart, totals and returns are computed by their batched resolvers for all the sessions completed together
 * (without a data loader), the input of {@code updateCustomerSession} is bound by {@link InputBinding}, and
 * {@code customerSessions} pages. The
 * plain types are registered here for the native image, as their public fields are read by reflection.
 */
@ApplicationScoped
@RegisterForReflection(targets = {
        CustomerSessionType.class, CartItemType.class, AdditionalCostType.class, AttributeType.class,
        ProductType.class, CartItemReturnType.class, CartItemReturnType.ReturnedCartItemType.class })
public class SessionEngineRegistration implements EngineRegistration {

    /** The batched fields' own resolvers (through their CDI proxy, with their interceptors): the same call either way. */
    @Inject
    CustomerSessionFieldResolvers resolvers;

    @Override
    public Map<String, Class<?>> plainTypes() {
        return Map.of(
                "CustomerSession", CustomerSessionType.class,
                "CartItem", CartItemType.class,
                "AdditionalCost", AdditionalCostType.class,
                "Attribute", AttributeType.class,
                "Product", ProductType.class,
                "CartItemReturn", CartItemReturnType.class,
                "ReturnedCartItem", CartItemReturnType.ReturnedCartItemType.class);
    }

    @Override
    public List<BatchedField> batchedFields() {
        return List.of(
                batched("cartItems", resolvers::cartItems),
                batched("cartItemTotal", resolvers::cartItemTotal),
                batched("cartItemAdditionalCostTotal", resolvers::cartItemAdditionalCostTotal),
                batched("total", resolvers::total),
                batched("returnedCartItemTotal", resolvers::returnedCartItemTotal),
                batched("returns", resolvers::returns));
    }

    /** A batched field of CustomerSession: the engine hands it the CustomerSessionType objects it completes. */
    @SuppressWarnings("unchecked")
    private static BatchedField batched(String field, Function<List<CustomerSessionType>, List<?>> resolver) {
        return new BatchedField("CustomerSession", field, sessions -> resolver.apply((List<CustomerSessionType>) (List<?>) sessions));
    }

    @Override
    public List<BoundArgument> boundArguments() {
        return List.of(new BoundArgument("Mutation", "updateCustomerSession", "input", InputBinding::bind));
    }

    @Override
    public Set<String> pagedListings() {
        return Set.of("customerSessions");
    }
}
