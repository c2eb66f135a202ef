package dev.customersessions.session.graphql;

import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.customersessions.engine.EngineRegistration;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The session API's part in the engine: the types a cart holds many of are served by plain public-field reads, the
 * input of {@code updateCustomerSession} is bound by {@link InputBinding}, and {@code customerSessions} pages. The
 * plain types are registered here for the native image, as their public fields are read by reflection.
 */
@ApplicationScoped
@RegisterForReflection(targets = {
        CustomerSessionType.class, CartItemType.class, AdditionalCostType.class, AttributeType.class,
        ProductType.class, CartItemReturnType.class, CartItemReturnType.ReturnedCartItemType.class })
public class SessionEngineRegistration implements EngineRegistration {

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
    public List<BoundArgument> boundArguments() {
        return List.of(new BoundArgument("Mutation", "updateCustomerSession", "input", InputBinding::bind));
    }

    @Override
    public Set<String> pagedListings() {
        return Set.of("customerSessions");
    }
}
