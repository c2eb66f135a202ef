package dev.customersessions.session;

import java.util.List;

import jakarta.json.JsonObject;

/**
 * What a client sent to update (or create) a session. A null field was left out and keeps its stored value; a
 * field sent replaces it whole.
 */
public record SessionUpdate(String profileId, List<String> couponCodes, String referralCode, List<String> loyaltyCards,
        SessionState state, List<CartItemData> cartItems, List<AdditionalCostData> additionalCosts,
        List<String> identifiers, JsonObject attributes) {
}
