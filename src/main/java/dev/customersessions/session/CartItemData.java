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

    static CartItemData of(CartItem item) {
        return new CartItemData(item.sku, item.name, item.category, item.quantity, item.price, item.productName,
                item.weight, item.height, item.width, item.length, JsonText.parse(item.attributes),
                AdditionalCostData.of(item.additionalCosts));
    }

    /** Writes this value into a stored item whose value is {@code before} (null for a new item). */
    void copyTo(CartItem item, CartItemData before) {
        item.sku = sku;
        item.name = name;
        item.category = category;
        item.quantity = quantity;
        item.price = price;
        item.productName = productName;
        item.weight = weight;
        item.height = height;
        item.width = width;
        item.length = length;
        if (before == null || !attributes.equals(before.attributes)) {
            item.attributes = attributes.toString();
        }
        if (before == null || !additionalCosts.equals(before.additionalCosts)) {
            item.additionalCosts.clear();
            item.additionalCosts.addAll(AdditionalCostData.toEmbeddables(additionalCosts));
        }
    }
}
