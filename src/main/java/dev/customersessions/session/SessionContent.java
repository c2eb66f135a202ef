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

    static SessionContent of(CustomerSession session) {
        return new SessionContent(session.profileId, List.copyOf(session.couponCodes), session.referralCode,
                List.copyOf(session.loyaltyCards), session.cartItems.stream().map(CartItemData::of).toList(),
                AdditionalCostData.of(session.additionalCosts), List.copyOf(session.identifiers),
                JsonText.parse(session.attributes));
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

    /**
     * Writes this content into a stored session whose content is {@code before}, touching only what differs from
     * it, so that a cart that grows by one line writes one row.
     */
    void copyTo(CustomerSession session, SessionContent before) {
        session.profileId = profileId;
        session.referralCode = referralCode;
        if (!couponCodes.equals(before.couponCodes)) {
            session.couponCodes = new ArrayList<>(couponCodes);
        }
        if (!loyaltyCards.equals(before.loyaltyCards)) {
            session.loyaltyCards = new ArrayList<>(loyaltyCards);
        }
        if (!identifiers.equals(before.identifiers)) {
            session.identifiers = new ArrayList<>(identifiers);
        }
        if (!attributes.equals(before.attributes)) {
            session.attributes = attributes.toString();
        }
        if (!additionalCosts.equals(before.additionalCosts)) {
            session.additionalCosts.clear();
            session.additionalCosts.addAll(AdditionalCostData.toEmbeddables(additionalCosts));
        }
        copyCartTo(session, before.cartItems);
    }

    private void copyCartTo(CustomerSession session, List<CartItemData> storedItems) {
        List<CartItem> stored = session.cartItems;
        while (stored.size() > cartItems.size()) {
            stored.remove(stored.size() - 1);
        }
        for (int position = 0; position < cartItems.size(); position++) {
            CartItemData item = cartItems.get(position);
            if (position < stored.size()) {
                if (!item.equals(storedItems.get(position))) {
                    item.copyTo(stored.get(position), storedItems.get(position));
                }
            } else {
                CartItem added = new CartItem();
                added.session = session;
                added.position = position;
                stored.add(added);
                item.copyTo(added, null);
            }
        }
    }

    private static String emptyToNull(String value) {
        return value.isEmpty() ? null : value;
    }

    private static List<String> distinct(List<String> values) {
        return List.copyOf(new LinkedHashSet<>(values));
    }
}
