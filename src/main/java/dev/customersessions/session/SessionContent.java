package dev.customersessions.session;

import dev.customersessions.common.JsonText;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import jakarta.json.JsonObject;

/**
 * Everything of a session a client can change apart from its state, as a value. Comparing the stored content
 * with the merged request tells whether an update changes anything.
 *
 * @param lineIds the id of each cart line (same size as {@code cartItems}): a stored line's, or null for a line not
 *                stored yet, which {@link #withLineIdsFrom} gives the next free id
 */
record SessionContent(String profileId, List<String> couponCodes, String referralCode, List<String> loyaltyCards,
        List<CartItemData> cartItems, List<Integer> lineIds, List<AdditionalCostData> additionalCosts, List<String> identifiers,
        JsonObject attributes) {

    static final SessionContent EMPTY = new SessionContent(null, List.of(), null, List.of(), List.of(), List.of(), List.of(),
            List.of(), JsonObject.EMPTY_JSON_OBJECT);

    /** The content of a stored session (its row and session-level costs) and its cart. */
    static SessionContent of(CustomerSession session, List<CartLine> cart) {
        return new SessionContent(session.profileId, List.copyOf(session.couponCodes), session.referralCode,
                List.copyOf(session.loyaltyCards), cart.stream().map(CartItemData::of).toList(),
                cart.stream().map(CartLine::lineId).toList(), AdditionalCostData.sorted(session.additionalCosts), List.copyOf(session.identifiers),
                JsonText.parse(session.attributes));
    }

    /**
     * The session as stored with this content: {@code session} carries what is not content (id, state, times, version)
     * and gets the content's fields; the cart is built from this content (every line id given), nothing returned yet.
     */
    SessionSnapshot snapshot(CustomerSession session) {
        List<CartLine> cart = new ArrayList<>(cartItems.size());
        for (int position = 0; position < cartItems.size(); position++) {
            cart.add(cartItems.get(position).line(session.id, position, lineIds.get(position)));
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

    /**
     * The merge rule: a field left out (null) keeps its value here, a field sent replaces it. A cart sent whole keeps
     * the ids of the lines it sends again ({@link #matchLineIds}).
     */
    SessionContent merge(SessionUpdate update) {
        return new SessionContent(
                update.profileId() == null ? profileId : emptyToNull(update.profileId()),
                update.couponCodes() == null ? couponCodes : distinct(update.couponCodes()),
                update.referralCode() == null ? referralCode : emptyToNull(update.referralCode()),
                update.loyaltyCards() == null ? loyaltyCards : List.copyOf(update.loyaltyCards()),
                update.cartItems() == null ? cartItems : List.copyOf(update.cartItems()),
                update.cartItems() == null ? lineIds : matchLineIds(update.cartItems()),
                update.additionalCosts() == null ? additionalCosts : AdditionalCostData.sorted(update.additionalCosts()),
                update.identifiers() == null ? identifiers : List.copyOf(update.identifiers()),
                update.attributes() == null ? attributes : update.attributes());
    }

    /** This content with another cart (its lines' ids: null for new ones). */
    SessionContent withCart(List<CartItemData> items, List<Integer> ids) {
        return new SessionContent(profileId, couponCodes, referralCode, loyaltyCards, List.copyOf(items), Collections.unmodifiableList(ids),
                additionalCosts, identifiers, attributes);
    }

    /**
     * The ids a whole cart sent by a client takes: each sent line keeps the id of the first stored line with the same
     * sku that no line sent before it has taken (a line whose quantity or price changed is still that line); a line of
     * a new sku, or one more line of a sku than is stored, is new (null).
     */
    private List<Integer> matchLineIds(List<CartItemData> sent) {
        Map<String, ArrayDeque<Integer>> stored = new HashMap<>();
        for (int i = 0; i < cartItems.size(); i++) {
            stored.computeIfAbsent(cartItems.get(i).sku(), sku -> new ArrayDeque<>()).add(lineIds.get(i));
        }
        List<Integer> ids = new ArrayList<>(sent.size());
        for (CartItemData item : sent) {
            ArrayDeque<Integer> free = stored.get(item.sku());
            ids.add(free == null ? null : free.poll());
        }
        return Collections.unmodifiableList(ids);
    }

    /** This content bound to another profile (null: anonymous). */
    SessionContent withProfile(String profile) {
        return java.util.Objects.equals(profile, profileId) ? this : new SessionContent(profile, couponCodes, referralCode, loyaltyCards,
                cartItems, lineIds, additionalCosts, identifiers, attributes);
    }

    /**
     * This content with its cart flattened (spec section 4): a line of quantity n becomes n lines of quantity 1 with
     * the same data, at consecutive positions; the first keeps the line's id, the others are new lines.
     */
    SessionContent flattened() {
        if (cartItems.stream().allMatch(item -> item.quantity() == 1)) {
            return this;
        }
        List<CartItemData> items = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < cartItems.size(); i++) {
            List<CartItemData> units = cartItems.get(i).units();
            for (int unit = 0; unit < units.size(); unit++) {
                items.add(units.get(unit));
                ids.add(unit == 0 ? lineIds.get(i) : null);
            }
        }
        return withCart(items, ids);
    }

    /** How many lines have no id yet. */
    int newLines() {
        int count = 0;
        for (Integer id : lineIds) {
            if (id == null) {
                count++;
            }
        }
        return count;
    }

    /** This content with every new line given an id, in cart order, from {@code next} on. */
    SessionContent withLineIdsFrom(int next) {
        if (newLines() == 0) {
            return this;
        }
        List<Integer> ids = new ArrayList<>(lineIds.size());
        int id = next;
        for (Integer stored : lineIds) {
            ids.add(stored == null ? id++ : stored);
        }
        return withCart(cartItems, ids);
    }

    private static String emptyToNull(String value) {
        return value.isEmpty() ? null : value;
    }

    private static List<String> distinct(List<String> values) {
        return List.copyOf(new LinkedHashSet<>(values));
    }
}
