package dev.customersessions.session;

import dev.customersessions.common.JsonText;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import jakarta.json.JsonObject;

/**
 * Everything of a session a client can change apart from its state, as a value. Comparing the stored content
 * with the merged request tells whether an update changes anything.
 */
record SessionContent(String profileId, List<String> couponCodes, String referralCode, List<String> loyaltyCards,
        List<CartItemData> cartItems, List<AdditionalCostData> additionalCosts, List<String> identifiers,
        JsonObject attributes) {

    static final SessionContent EMPTY = new SessionContent(null, List.of(), null, List.of(), List.of(), List.of(),
            List.of(), JsonObject.EMPTY_JSON_OBJECT);

    /** The content of a stored session (its row and session-level costs) and its cart. */
    static SessionContent of(CustomerSession session, List<CartLine> cart) {
        return new SessionContent(session.profileId, List.copyOf(session.couponCodes), session.referralCode,
                List.copyOf(session.loyaltyCards), cart.stream().map(CartItemData::of).toList(),
                AdditionalCostData.sorted(session.additionalCosts), List.copyOf(session.identifiers),
                JsonText.parse(session.attributes));
    }

    /**
     * The session as stored with this content: {@code session} carries what is not content (id, state, times, version)
     * and gets the content's fields; the cart is built from this content, nothing returned yet.
     */
    SessionSnapshot snapshot(CustomerSession session) {
        List<CartLine> cart = new ArrayList<>(cartItems.size());
        for (int position = 0; position < cartItems.size(); position++) {
            cart.add(cartItems.get(position).line(session.id, position));
        }
        return snapshot(session, cart);
    }

    /** As {@link #snapshot(CustomerSession)}, with the cart as stored. */
    SessionSnapshot snapshot(CustomerSession session, List<CartLine> cart) {
        session.profileId = profileId;
        session.couponCodes = couponCodes;
        session.referralCode = referralCode;
        session.loyaltyCards = loyaltyCards;
        session.identifiers = identifiers;
        session.attributes = attributes.toString();
        session.additionalCosts = additionalCosts;
        return new SessionSnapshot(session, cart, null);
    }

    /** The merge rule: a field left out (null) keeps its value here, a field sent replaces it. */
    SessionContent merge(SessionUpdate update) {
        return new SessionContent(
                update.profileId() == null ? profileId : emptyToNull(update.profileId()),
                update.couponCodes() == null ? couponCodes : distinct(update.couponCodes()),
                update.referralCode() == null ? referralCode : emptyToNull(update.referralCode()),
                update.loyaltyCards() == null ? loyaltyCards : List.copyOf(update.loyaltyCards()),
                update.cartItems() == null ? cartItems : List.copyOf(update.cartItems()),
                update.additionalCosts() == null ? additionalCosts : AdditionalCostData.sorted(update.additionalCosts()),
                update.identifiers() == null ? identifiers : List.copyOf(update.identifiers()),
                update.attributes() == null ? attributes : update.attributes());
    }

    private static String emptyToNull(String value) {
        return value.isEmpty() ? null : value;
    }

    private static List<String> distinct(List<String> values) {
        return List.copyOf(new LinkedHashSet<>(values));
    }
}
