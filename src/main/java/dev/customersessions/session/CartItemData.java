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

    /** Where the cart has its first line equal to {@code line} in everything but the quantity; -1 when it has none. */
    static int indexOfSameButQuantity(List<CartItemData> cart, CartItemData line) {
        for (int i = 0; i < cart.size(); i++) {
            CartItemData other = cart.get(i);
            if (other != null && other.withQuantity(line.quantity).equals(line)) {
                return i;
            }
        }
        return -1;
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
