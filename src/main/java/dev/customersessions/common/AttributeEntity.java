package dev.customersessions.common;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Enum;

/** What a custom attribute belongs to. */
@Enum("AttributeEntity")
@Description("What a custom attribute belongs to: a customer session, or a cart item.")
public enum AttributeEntity {
    @Description("The session's own attributes (input.attributes).")
    CUSTOMER_SESSION("customer sessions"),
    @Description("A cart item's attributes (input.cartItems[i].attributes).")
    CART_ITEM("cart items");

    private final String plural;

    AttributeEntity(String plural) {
        this.plural = plural;
    }

    /** How messages name the entity: "customer sessions", "cart items". */
    public String plural() {
        return plural;
    }
}
