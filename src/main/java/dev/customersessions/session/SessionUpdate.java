package dev.customersessions.session;

import java.util.ArrayList;
import java.util.List;

import jakarta.json.JsonObject;

/**
 * What a client sent to update (or create) a session. A null field was left out and keeps its stored value; a
 * field sent replaces it whole.
 */
public record SessionUpdate(String profileId, List<String> couponCodes, String referralCode, List<String> loyaltyCards,
        SessionState state, List<CartItemData> cartItems, List<AdditionalCostData> additionalCosts,
        List<String> identifiers, JsonObject attributes) {

    /**
     * This update with its cart flattened (spec section 4): an item of quantity n becomes n items of quantity 1 with
     * the same data, at consecutive positions. Totals are the same.
     */
    SessionUpdate flattened() {
        if (cartItems == null || cartItems.stream().allMatch(item -> item.quantity() == 1)) {
            return this;
        }
        List<CartItemData> flat = new ArrayList<>();
        for (CartItemData item : cartItems) {
            flat.addAll(item.units());
        }
        return new SessionUpdate(profileId, couponCodes, referralCode, loyaltyCards, state, flat, additionalCosts,
                identifiers, attributes);
    }

    /** This update flattened, when its cart holds at most {@code maxUnits} units; otherwise null. */
    SessionUpdate flattenedWithin(int maxUnits) {
        if (cartItems == null) {
            return null;
        }
        long units = SessionRules.units(cartItems);
        return units <= maxUnits ? flattened() : null;
    }
}
