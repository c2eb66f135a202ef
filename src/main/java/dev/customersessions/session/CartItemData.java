package dev.customersessions.session;

import dev.customersessions.common.JsonText;

import java.math.BigDecimal;
import java.util.List;

import jakarta.json.JsonObject;

import dev.customersessions.common.Money;

/**
 * One cart line as a value, as sent by a client or as stored: decimals normalized and costs sorted, so that an
 * unchanged cart compares equal to the stored one.
 */
public record CartItemData(String sku, String name, String category, int quantity, BigDecimal price, String productName,
        BigDecimal weight, BigDecimal height, BigDecimal width, BigDecimal length, JsonObject attributes,
        List<AdditionalCostData> additionalCosts) {

    public CartItemData {
        price = Money.normalize(price);
        weight = Money.normalize(weight);
        height = Money.normalize(height);
        width = Money.normalize(width);
        length = Money.normalize(length);
        attributes = attributes == null ? JsonObject.EMPTY_JSON_OBJECT : attributes;
        additionalCosts = additionalCosts == null ? List.of() : AdditionalCostData.sorted(additionalCosts);
    }

    /** This line with another quantity. */
    CartItemData withQuantity(int units) {
        return new CartItemData(sku, name, category, units, price, productName, weight, height, width, length, attributes,
                additionalCosts);
    }

    /**
     * Where a cart has its first line equal to a given one in everything but the quantity: one hash lookup per line,
     * so that adding or merging many lines into a large cart stays linear.
     */
    static final class SameButQuantity {
        private final java.util.Map<CartItemData, Integer> first = new java.util.HashMap<>();

        SameButQuantity(List<CartItemData> cart) {
            for (int i = 0; i < cart.size(); i++) {
                add(cart.get(i), i);
            }
        }

        /** A line now at {@code at} (a line added after those the index was built from). */
        void add(CartItemData line, int at) {
            first.putIfAbsent(line.withQuantity(1), at);
        }

        /** The position of the first line equal to {@code line} but for its quantity; -1 when there is none. */
        int indexOf(CartItemData line) {
            return first.getOrDefault(line.withQuantity(1), -1);
        }
    }

    /** This line as units of quantity 1, as a flattened cart holds it (itself, when it is one unit). */
    List<CartItemData> units() {
        if (quantity == 1) {
            return List.of(this);
        }
        return java.util.Collections.nCopies(quantity, withQuantity(1));
    }

    static CartItemData of(CartLine line) {
        return new CartItemData(line.sku(), line.name(), line.category(), line.quantity(), line.price(), line.productName(),
                line.weight(), line.height(), line.width(), line.length(), JsonText.parse(line.attributes()),
                AdditionalCostData.sorted(line.costs()));
    }

    /** This value as a stored line at the position, with its line id, nothing returned. */
    CartLine line(long sessionId, int position, int lineId) {
        return new CartLine(sessionId, position, lineId, sku, name, category, quantity, price, productName, weight, height, width, length,
                attributes.toString(), 0, additionalCosts);
    }
}
