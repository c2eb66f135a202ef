package dev.customersessions.common;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Enum;

/** Where a defined additional cost may be given. */
@Enum("AdditionalCostScope")
@Description("Where an additional cost may be given: on the session, on cart items, or on both.")
public enum AdditionalCostScope {
    @Description("Session-level only (input.additionalCosts).")
    SESSION,
    @Description("Per unit of a cart item only (input.cartItems[i].additionalCosts).")
    ITEM,
    @Description("Both on the session and on cart items.")
    BOTH;

    public boolean allowsSession() {
        return this != ITEM;
    }

    public boolean allowsItem() {
        return this != SESSION;
    }

    /** Whether a definition of this scope may become {@code target}: a scope only widens, so what was accepted stays valid. */
    public boolean canBecome(AdditionalCostScope target) {
        return target == this || target == BOTH;
    }
}
