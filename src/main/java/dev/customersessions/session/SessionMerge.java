package dev.customersessions.session;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import dev.customersessions.application.ApiKeyKind;
import dev.customersessions.common.FieldPath;
import dev.customersessions.common.JsonText;
import dev.customersessions.common.RefusedException;
import dev.customersessions.common.UserErrorCode;
import dev.customersessions.common.Validation;

/**
 * What a merge at login does to the sessions it has locked (docs/login.md): which session survives, with what content,
 * and which are merged away. Plain computation on snapshots, so that the rules read in one place; the service locks,
 * checks the version and writes.
 *
 * <p>Of the customer's open sessions, the most recently updated is the target; every open session of the customer ends
 * up merged (into the survivor), so that a merge always leaves exactly one. Under {@link SessionMergeStrategy#MERGE_LINES}
 * the target takes in the other sessions one by one, most recently updated first and the guest last, each by
 * {@link #mergeInto}: the content already there wins where both have a value.
 *
 * @param survivor    the session that stays open, as read under its lock
 * @param before      its content as stored
 * @param after       its content after the merge (equal to {@code before} when it does not change)
 * @param mergedAway  the sessions that end merged, in the order they are merged: the guest first (unless it survives)
 * @param cartSetBy   the kind of key to record as the cart's setter, when the survivor's cart changes; else null
 */
record SessionMerge(SessionSnapshot survivor, SessionContent before, SessionContent after, List<SessionSnapshot> mergedAway,
        String cartSetBy) {

    private static final FieldPath INTEGRATION_ID = FieldPath.of("integrationId");

    /**
     * The customer's open sessions one merge takes in at most, the most recently updated: its locks, work and answer
     * stay bounded. A customer with more (possible only through updates that set profileId) keeps the older ones open
     * until a later merge.
     */
    static final int MAX_OPEN_SESSIONS = 10;

    /** The arguments' form: the session's integrationId, a profileId of 1 to 1000 characters, expectedVersion. */
    static void checkArguments(String integrationId, String profileId, Long expectedVersion) {
        Validation v = new Validation();
        SessionRules.checkIntegrationId(integrationId, v);
        v.requiredText(profileId, SessionRules.MAX_ID_LENGTH, FieldPath.of("profileId"), "profileId");
        SessionRules.checkExpectedVersion(expectedVersion, v);
        v.throwIfFailed();
    }

    /**
     * Plans the merge of the guest session into the profile's open sessions.
     *
     * @param guest      the session named by integrationId, locked
     * @param locked     the other sessions found open with the profile, locked (those a concurrent writer closed or moved to
     *                   another profile before the lock was had are left out here)
     * @param flattening whether the application stores carts flattened; asked only when the cart changes
     * @param keyKind    the kind of key that merges
     * @throws RefusedException SESSION_NOT_OPEN, PROFILE_MISMATCH, or LIMIT_EXCEEDED when the merged content would break a
     *                          limit of the session
     */
    static SessionMerge plan(SessionSnapshot guest, List<SessionSnapshot> locked, String profileId, SessionMergeStrategy strategy,
            BooleanSupplier flattening, String keyKind) {
        CustomerSession session = guest.session();
        if (session.state != SessionState.open) {
            throw new RefusedException(UserErrorCode.SESSION_NOT_OPEN, INTEGRATION_ID, "the session is " + session.state
                    + (session.mergedInto == null ? "" : " into " + Validation.quoted(session.mergedInto))
                    + "; only an open session can be bound to a customer");
        }
        if (session.profileId != null && !session.profileId.equals(profileId)) {
            throw new RefusedException(UserErrorCode.PROFILE_MISMATCH, INTEGRATION_ID, "the session belongs to another customer; "
                    + "a session is merged only into its own customer's (make it anonymous first with updateCustomerSession, "
                    + "profileId: \"\", if it changed hands)");
        }
        List<SessionSnapshot> customer = new ArrayList<>(locked.stream()
                .filter(s -> s.session().state == SessionState.open && profileId.equals(s.session().profileId)).toList());
        customer.sort(Comparator.comparing((SessionSnapshot s) -> s.session().updated).thenComparing(s -> s.session().id).reversed());
        SessionContent guestContent = SessionContent.of(session, guest.cart());
        if (customer.isEmpty() || strategy == SessionMergeStrategy.USE_GUEST) {
            return new SessionMerge(guest, guestContent, guestContent.withProfile(profileId), customer, null);
        }
        SessionSnapshot target = customer.get(0);
        List<SessionSnapshot> mergedAway = new ArrayList<>();
        mergedAway.add(guest);
        mergedAway.addAll(customer.subList(1, customer.size()));
        SessionContent before = SessionContent.of(target.session(), target.cart());
        if (strategy == SessionMergeStrategy.KEEP_CUSTOMER) {
            return new SessionMerge(target, before, before, mergedAway, null);
        }
        List<SessionSnapshot> mergedIn = new ArrayList<>(mergedAway.subList(1, mergedAway.size()));
        mergedIn.add(guest); // the guest last: every customer's session wins over it
        SessionContent after = before;
        for (SessionSnapshot from : mergedIn) {
            after = mergeInto(after, SessionContent.of(from.session(), from.cart()));
        }
        boolean cartChanged = !after.cartItems().equals(before.cartItems()) || !after.additionalCosts().equals(before.additionalCosts());
        if (!after.cartItems().equals(before.cartItems()) && flattening.getAsBoolean()) {
            checkUnits(after.cartItems());
            after = after.flattened();
        } else {
            checkItems(after.cartItems());
        }
        checkLimits(after);
        String setBy = null;
        if (cartChanged) {
            boolean fromPage = ApiKeyKind.PUBLISHABLE.name().equals(target.session().cartSetBy)
                    || mergedIn.stream().anyMatch(s -> ApiKeyKind.PUBLISHABLE.name().equals(s.session().cartSetBy));
            setBy = fromPage ? ApiKeyKind.PUBLISHABLE.name() : keyKind;
        }
        return new SessionMerge(target, before, after, mergedAway, setBy);
    }

    /** Whether the merge changes nothing: the guest already has the profile and the profile no other open session. */
    boolean changesNothing() {
        return mergedAway.isEmpty() && after.equals(before);
    }

    /**
     * {@code from} merged into {@code into} (MERGE_LINES): a line of {@code from} equal to a line of {@code into} in
     * everything but its quantity adds its quantity to the first such line, the other lines are appended in their order;
     * coupon codes are the union, {@code into}'s first; referral code and loyalty card are {@code into}'s when it has
     * them; identifiers the union, {@code into}'s first, as many as fit the limit; costs and attributes by name, with
     * {@code into}'s value where both have one. The profile is {@code into}'s.
     */
    static SessionContent mergeInto(SessionContent into, SessionContent from) {
        List<String> codes = List.copyOf(new LinkedHashSet<>(concat(into.couponCodes(), from.couponCodes())));
        List<String> identifiers = new ArrayList<>(into.identifiers());
        for (String identifier : from.identifiers()) {
            if (identifiers.size() < SessionRules.MAX_IDENTIFIERS && !identifiers.contains(identifier)) {
                identifiers.add(identifier);
            }
        }
        Map<String, AdditionalCostData> costs = new LinkedHashMap<>();
        from.additionalCosts().forEach(cost -> costs.put(cost.name(), cost));
        into.additionalCosts().forEach(cost -> costs.put(cost.name(), cost));
        JsonObjectBuilder attributes = JsonText.JSON.createObjectBuilder(from.attributes());
        into.attributes().forEach(attributes::add);
        SessionContent merged = new SessionContent(into.profileId(), codes, into.referralCode() != null ? into.referralCode() : from.referralCode(),
                into.loyaltyCards().isEmpty() ? from.loyaltyCards() : into.loyaltyCards(), into.cartItems(), into.lineIds(),
                AdditionalCostData.sorted(List.copyOf(costs.values())), List.copyOf(identifiers), attributes.build());
        return mergeLines(merged, from.cartItems());
    }

    /**
     * The lines of {@code into} (keeping their ids), each raised by the quantities of the lines of {@code from} equal to it
     * but for the quantity (the first such line of {@code into} takes them), followed by the other lines of {@code from} in
     * their order, as new lines. A quantity beyond an Int's range is refused (LIMIT_EXCEEDED).
     */
    private static SessionContent mergeLines(SessionContent into, List<CartItemData> from) {
        List<CartItemData> lines = new ArrayList<>(into.cartItems());
        List<Integer> ids = new ArrayList<>(into.lineIds());
        long[] quantities = lines.stream().mapToLong(CartItemData::quantity).toArray();
        List<CartItemData> appended = new ArrayList<>();
        CartItemData.SameButQuantity same = new CartItemData.SameButQuantity(into.cartItems());
        for (CartItemData line : from) {
            int at = same.indexOf(line);
            if (at < 0) {
                appended.add(line);
            } else {
                quantities[at] += line.quantity();
            }
        }
        for (int i = 0; i < lines.size(); i++) {
            if (quantities[i] > Integer.MAX_VALUE) {
                throw limit("merged, the quantity of cart item " + i + " would be " + quantities[i] + "; at most " + Integer.MAX_VALUE);
            }
            if (quantities[i] != lines.get(i).quantity()) {
                lines.set(i, lines.get(i).withQuantity((int) quantities[i]));
            }
        }
        lines.addAll(appended);
        appended.forEach(line -> ids.add(null));
        return into.withCart(lines, ids);
    }

    /** A cart that is not stored flattened: at most 1000 lines. */
    private static void checkItems(List<CartItemData> cart) {
        if (cart.size() > SessionRules.MAX_CART_ITEMS) {
            throw limit("merged, the cart would hold " + cart.size() + " items; a cart holds at most " + SessionRules.MAX_CART_ITEMS);
        }
    }

    /** A cart to be stored flattened: at most 10,000 units. */
    private static void checkUnits(List<CartItemData> cart) {
        long units = SessionRules.units(cart);
        if (units > SessionRules.MAX_FLATTENED_UNITS) {
            throw limit("merged, the cart would hold " + units + " units; with cart item flattening on, a cart holds at most "
                    + SessionRules.MAX_FLATTENED_UNITS);
        }
    }

    /** The limits of a session's lists that a union may exceed: coupon codes and attributes. */
    private static void checkLimits(SessionContent content) {
        if (content.couponCodes().size() > SessionRules.MAX_COUPON_CODES) {
            throw limit("merged, the session would hold " + content.couponCodes().size() + " coupon codes; at most "
                    + SessionRules.MAX_COUPON_CODES + " are allowed");
        }
        if (content.attributes().size() > SessionRules.MAX_ATTRIBUTES
                || content.attributes().toString().length() > SessionRules.MAX_ATTRIBUTES_JSON_LENGTH) {
            throw limit("merged, the session's attributes would exceed " + SessionRules.MAX_ATTRIBUTES + " attributes or "
                    + SessionRules.MAX_ATTRIBUTES_JSON_LENGTH + " characters of JSON");
        }
    }

    private static RefusedException limit(String message) {
        return new RefusedException(UserErrorCode.LIMIT_EXCEEDED, INTEGRATION_ID, message + "; nothing was merged (choose "
                + "KEEP_CUSTOMER or USE_GUEST, or make the carts smaller)");
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        List<T> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /**
     * The session as it is once merged away: ended merged, bound to the profile, pointing to the survivor, its version
     * raised; its content as it was.
     */
    static SessionSnapshot mergedAway(SessionSnapshot snapshot, String profileId, String survivor, OffsetDateTime now) {
        CustomerSession session = snapshot.session();
        session.state = SessionState.merged;
        session.profileId = profileId;
        session.mergedInto = survivor;
        session.updated = now;
        session.version = session.version + 1;
        return snapshot;
    }
}
