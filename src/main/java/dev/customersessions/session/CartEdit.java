package dev.customersessions.session;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.json.JsonObject;

import dev.customersessions.common.FieldPath;
import dev.customersessions.common.UserErrorCode;
import dev.customersessions.common.Validation;

/**
 * Line operations on a stored cart, as a page sends them: lines to add, lines to change and lines to remove, each
 * addressed by its line id. Applied to the cart as stored under the session's lock, so two pages adding different
 * items both succeed: neither sends, or races over, the whole cart. One request carries one kind of operation (the
 * other lists are empty), at most {@link #MAX_LINES} lines.
 *
 * @param path where the request's lines are (items or lineIds), for the messages
 */
public record CartEdit(List<CartItemData> added, List<LineChange> changed, List<Long> removed, FieldPath path) {

    /** Lines per request, as the carts storefront developers know allow. */
    public static final int MAX_LINES = 250;

    public static CartEdit add(List<CartItemData> items) {
        return new CartEdit(items, List.of(), List.of(), FieldPath.of("items"));
    }

    public static CartEdit change(List<LineChange> changes) {
        return new CartEdit(List.of(), changes, List.of(), FieldPath.of("items"));
    }

    public static CartEdit remove(List<Long> lineIds) {
        return new CartEdit(List.of(), List.of(), lineIds, FieldPath.of("lineIds"));
    }

    /**
     * A change of one line: the fields sent replace the line's, a field left out (null) keeps its value; quantity 0
     * removes the line.
     */
    public record LineChange(long lineId, String sku, String name, String category, Integer quantity, BigDecimal price,
            String productName, BigDecimal weight, BigDecimal height, BigDecimal width, BigDecimal length, JsonObject attributes,
            List<AdditionalCostData> additionalCosts) {

        boolean removes() {
            return quantity != null && quantity == 0;
        }

        CartItemData applyTo(CartItemData line) {
            return new CartItemData(sku == null ? line.sku() : sku, name == null ? line.name() : name,
                    category == null ? line.category() : category, quantity == null ? line.quantity() : quantity,
                    price == null ? line.price() : price, productName == null ? line.productName() : productName,
                    weight == null ? line.weight() : weight, height == null ? line.height() : height,
                    width == null ? line.width() : width, length == null ? line.length() : length,
                    attributes == null ? line.attributes() : attributes,
                    additionalCosts == null ? line.additionalCosts() : additionalCosts);
        }
    }

    /** What can be checked before the cart is read: how many lines, each added line's fields, each line named once. */
    void check(Validation v) {
        int lines = added.size() + changed.size() + removed.size();
        if (lines == 0) {
            v.fail(UserErrorCode.VALIDATION_FAILED, path, "name at least one cart item");
        }
        if (lines > MAX_LINES) {
            v.fail(UserErrorCode.LIMIT_EXCEEDED, path, "at most " + MAX_LINES + " cart items can be sent in one request, got " + lines);
            return;
        }
        for (int i = 0; i < added.size(); i++) {
            SessionRules.checkItem(added.get(i), path.then(i), v);
        }
        Set<Long> named = new HashSet<>();
        for (int i = 0; i < changed.size(); i++) {
            LineChange change = changed.get(i);
            once(change.lineId(), named, path.then(i).then("lineId"), v);
            if (change.quantity() != null && change.quantity() < 0) {
                v.fail(UserErrorCode.VALIDATION_FAILED, path.then(i).then("quantity"),
                        "quantity must be at least 1 (or 0 to remove the line), got " + change.quantity());
            }
        }
        for (int i = 0; i < removed.size(); i++) {
            once(removed.get(i), named, path.then(i), v);
        }
    }

    private static void once(long lineId, Set<Long> named, FieldPath at, Validation v) {
        if (!named.add(lineId)) {
            v.fail(UserErrorCode.VALIDATION_FAILED, at, "line " + lineId + " is named twice; name each line once");
        }
    }

    /**
     * The stored content with this edit applied: an added line equal to a line of the cart in everything but its
     * quantity adds its units to that line (which keeps its id), any other added line is appended with a new id; a
     * changed line keeps its id and position; a removed line is gone. With {@code flatten}, the result is flattened as
     * a whole-cart update's cart is (the first unit of a line keeps its id). A line id the cart does not have goes to
     * {@code v} as NOT_FOUND; a changed line's new fields are checked as an added line's are.
     */
    SessionContent applyTo(SessionContent stored, boolean flatten, Validation v) {
        List<CartItemData> items = new ArrayList<>(stored.cartItems());
        List<Integer> ids = new ArrayList<>(stored.lineIds());
        CartItemData.SameButQuantity lines = new CartItemData.SameButQuantity(items);
        for (int i = 0; i < added.size(); i++) {
            CartItemData item = added.get(i);
            int same = lines.indexOf(item);
            if (same < 0) {
                lines.add(item, items.size());
                items.add(item);
                ids.add(null);
            } else if (!addUnits(items, same, item.quantity())) {
                v.fail(UserErrorCode.LIMIT_EXCEEDED, path.then(i).then("quantity"), "the line would hold more than "
                        + Integer.MAX_VALUE + " units");
            }
        }
        for (int i = 0; i < changed.size(); i++) {
            LineChange change = changed.get(i);
            int at = indexOf(ids, change.lineId());
            if (at < 0) {
                v.fail(UserErrorCode.NOT_FOUND, path.then(i).then("lineId"), noSuchLine(change.lineId()));
            } else if (change.removes()) {
                items.set(at, null);
            } else if (items.get(at) != null) {
                CartItemData line = change.applyTo(items.get(at));
                SessionRules.checkItem(line, path.then(i), v);
                items.set(at, line);
            }
        }
        for (int i = 0; i < removed.size(); i++) {
            int at = indexOf(ids, removed.get(i));
            if (at < 0) {
                v.fail(UserErrorCode.NOT_FOUND, path.then(i), noSuchLine(removed.get(i)));
            } else {
                items.set(at, null);
            }
        }
        List<CartItemData> keptItems = new ArrayList<>(items.size());
        List<Integer> keptIds = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) != null) {
                keptItems.add(items.get(i));
                keptIds.add(ids.get(i));
            }
        }
        SessionContent edited = stored.withCart(keptItems, keptIds);
        // Counted before anything is flattened: a line of a billion units must not become a billion lines.
        long size = flatten ? SessionRules.units(keptItems) : keptItems.size();
        int max = flatten ? SessionRules.MAX_FLATTENED_UNITS : SessionRules.MAX_CART_ITEMS;
        if (size > max) {
            v.fail(UserErrorCode.LIMIT_EXCEEDED, path, "the cart would hold " + size + (flatten
                    ? " units; with cart item flattening on, a cart may hold at most " + max + " units"
                    : " items; a cart may hold at most " + max + " items"));
            return edited;
        }
        return flatten ? edited.flattened() : edited;
    }

    private static boolean addUnits(List<CartItemData> items, int at, int units) {
        CartItemData line = items.get(at);
        long quantity = (long) line.quantity() + units;
        if (quantity > Integer.MAX_VALUE) {
            return false;
        }
        items.set(at, line.withQuantity((int) quantity));
        return true;
    }

    /** Where the line with the id is, or -1. */
    private static int indexOf(List<Integer> ids, long id) {
        for (int i = 0; i < ids.size(); i++) {
            Integer stored = ids.get(i);
            if (stored != null && stored == id) {
                return i;
            }
        }
        return -1;
    }

    private static String noSuchLine(long lineId) {
        return "the cart has no line with lineId " + lineId + " (it may have been removed meanwhile: read the cart again)";
    }
}
