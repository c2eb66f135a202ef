package dev.customersessions.session;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.json.JsonObject;

import dev.customersessions.common.FieldPath;
import dev.customersessions.common.UserErrorCode;
import dev.customersessions.common.Validation;

/** The input limits of spec sections 3 and 4, checked before anything is read or written. */
public final class SessionRules {

    public static final int MAX_ID_LENGTH = 1000;
    public static final int MAX_COUPON_CODES = 100;
    public static final int MAX_CODE_LENGTH = 100;
    public static final int MAX_LOYALTY_CARDS = 1;
    public static final int MAX_IDENTIFIERS = 5;
    public static final int MAX_CART_ITEMS = 1000;
    /** With cart item flattening on: the most units a cart may hold (the items it is stored as). */
    public static final int MAX_FLATTENED_UNITS = 10_000;
    /** Returns per session; each returns at least one unit. */
    public static final int MAX_RETURNS = 100;
    public static final int MAX_TEXT_LENGTH = 1000;
    public static final int MAX_NAME_LENGTH = 100;
    public static final int MAX_ATTRIBUTES = 100;
    public static final int MAX_ATTRIBUTES_JSON_LENGTH = 65_536;

    private static final FieldPath INPUT = FieldPath.of("input");

    private SessionRules() {
    }

    public static void checkIntegrationId(String integrationId, Validation v) {
        v.requiredText(integrationId, MAX_ID_LENGTH, FieldPath.of("integrationId"), "integrationId");
    }

    /** The integrationId of a query, refused with the mutations' message as a top-level VALIDATION_FAILED error. */
    public static void checkIntegrationIdArgument(String integrationId) {
        Validation v = new Validation();
        checkIntegrationId(integrationId, v);
        v.throwIfInvalidArgument();
    }

    public static void checkExpectedVersion(Long expectedVersion, Validation v) {
        if (expectedVersion != null && expectedVersion < 0) {
            v.fail(UserErrorCode.VALIDATION_FAILED, FieldPath.of("expectedVersion"), "expectedVersion must not be negative");
        }
    }

    /** The limits of an update; with {@code flatten}, also the units of the cart it would be stored as. */
    public static void check(SessionUpdate update, boolean flatten, Validation v) {
        check(update, v);
        if (flatten && update.cartItems() != null) {
            long units = units(update.cartItems());
            if (units > MAX_FLATTENED_UNITS) {
                v.fail(UserErrorCode.LIMIT_EXCEEDED, INPUT.then("cartItems"), "with cart item flattening on, a cart may hold at most "
                        + MAX_FLATTENED_UNITS + " units (the sum of quantities), got " + units);
            }
        }
    }

    /**
     * The units a cart holds (the sum of its quantities, a negative one, refused elsewhere, counting none): the size
     * of the cart flattened, counted before anything is flattened.
     */
    static long units(List<CartItemData> items) {
        return items.stream().mapToLong(item -> Math.max(0, item.quantity())).sum();
    }

    /** The shape of a return request: 1..1000 lines, positions and quantities in range, each position once. */
    public static void checkReturn(List<ReturnRequest> items, Validation v) {
        FieldPath path = FieldPath.of("items");
        if (items.isEmpty()) {
            v.fail(UserErrorCode.VALIDATION_FAILED, path, "name at least one cart item to return");
        }
        if (!v.maxCount(items, MAX_CART_ITEMS, path, "return lines")) {
            return;
        }
        Set<Integer> positions = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            ReturnRequest item = items.get(i);
            if (item.position() < 0) {
                v.fail(UserErrorCode.VALIDATION_FAILED, path.then(i).then("position"), "position must not be negative, got " + item.position());
            } else if (!positions.add(item.position())) {
                v.fail(UserErrorCode.VALIDATION_FAILED, path.then(i).then("position"), "position " + item.position()
                        + " is named twice; name each position once with the units to return");
            }
            if (item.quantity() != null && item.quantity() < 1) {
                v.fail(UserErrorCode.VALIDATION_FAILED, path.then(i).then("quantity"), "quantity must be at least 1, got " + item.quantity());
            }
        }
    }

    private static void check(SessionUpdate update, Validation v) {
        v.optionalText(update.profileId(), MAX_ID_LENGTH, INPUT.then("profileId"), "profileId");
        checkTexts(update.couponCodes(), MAX_COUPON_CODES, MAX_CODE_LENGTH, INPUT.then("couponCodes"), "coupon codes", v);
        v.optionalText(update.referralCode(), MAX_CODE_LENGTH, INPUT.then("referralCode"), "referralCode");
        checkTexts(update.loyaltyCards(), MAX_LOYALTY_CARDS, MAX_TEXT_LENGTH, INPUT.then("loyaltyCards"), "loyalty cards", v);
        checkTexts(update.identifiers(), MAX_IDENTIFIERS, MAX_TEXT_LENGTH, INPUT.then("identifiers"), "identifiers", v);
        checkCosts(update.additionalCosts(), INPUT.then("additionalCosts"), v);
        checkAttributes(update.attributes(), INPUT.then("attributes"), v);
        List<CartItemData> items = update.cartItems();
        FieldPath itemsPath = INPUT.then("cartItems");
        if (items != null && v.maxCount(items, MAX_CART_ITEMS, itemsPath, "cart items")) {
            for (int i = 0; i < items.size(); i++) {
                checkItem(items.get(i), itemsPath.then(i), v);
            }
        }
    }

    /** The fields of one cart line, as sent or as a line operation would leave it. */
    static void checkItem(CartItemData item, FieldPath path, Validation v) {
        v.requiredText(item.sku(), MAX_TEXT_LENGTH, path.then("sku"), "sku");
        v.optionalText(item.name(), MAX_TEXT_LENGTH, path.then("name"), "name");
        v.optionalText(item.category(), MAX_TEXT_LENGTH, path.then("category"), "category");
        v.optionalText(item.productName(), MAX_TEXT_LENGTH, path.then("product").then("name"), "product name");
        if (item.quantity() < 1) {
            v.fail(UserErrorCode.VALIDATION_FAILED, path.then("quantity"), "quantity must be at least 1, got " + item.quantity());
        }
        v.amount(item.price(), true, path.then("price"), "price");
        v.amount(item.weight(), false, path.then("weight"), "weight");
        v.amount(item.height(), false, path.then("height"), "height");
        v.amount(item.width(), false, path.then("width"), "width");
        v.amount(item.length(), false, path.then("length"), "length");
        checkCosts(item.additionalCosts(), path.then("additionalCosts"), v);
        checkAttributes(item.attributes(), path.then("attributes"), v);
    }

    private static void checkTexts(List<String> values, int maxCount, int maxLength, FieldPath path, String what, Validation v) {
        if (values == null || !v.maxCount(values, maxCount, path, what)) {
            return;
        }
        for (int i = 0; i < values.size(); i++) {
            v.requiredText(values.get(i), maxLength, path.then(i), what.substring(0, what.length() - 1));
        }
    }

    private static void checkCosts(List<AdditionalCostData> costs, FieldPath path, Validation v) {
        if (costs == null) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < costs.size(); i++) {
            AdditionalCostData cost = costs.get(i);
            FieldPath at = path.then(i);
            v.name(cost.name(), MAX_NAME_LENGTH, at.then("name"), "additional cost name");
            if (cost.name() != null && !seen.add(cost.name())) {
                v.fail(UserErrorCode.VALIDATION_FAILED, at.then("name"), "additional cost " + Validation.quoted(cost.name()) + " is given twice");
            }
            v.amount(cost.price(), true, at.then("price"), "price");
        }
    }

    private static void checkAttributes(JsonObject attributes, FieldPath path, Validation v) {
        if (attributes == null) {
            return;
        }
        if (attributes.size() > MAX_ATTRIBUTES) {
            v.fail(UserErrorCode.LIMIT_EXCEEDED, path, "at most " + MAX_ATTRIBUTES + " attributes are allowed, got " + attributes.size());
            return;
        }
        if (attributes.toString().length() > MAX_ATTRIBUTES_JSON_LENGTH) {
            v.fail(UserErrorCode.LIMIT_EXCEEDED, path, "attributes must be at most " + MAX_ATTRIBUTES_JSON_LENGTH + " characters of JSON");
        }
    }
}
