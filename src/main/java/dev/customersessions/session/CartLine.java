package dev.customersessions.session;

import java.math.BigDecimal;
import java.util.List;

/**
 * One stored cart line as it is served and totalled: a plain value, read straight from the database for queries
 * (no entity, no persistence context: a flattened cart has 10,000 of them) or taken from the entity a mutation holds.
 *
 * @param attributes the stored JSON object, as text
 * @param costs      the per-unit costs, sorted by name
 */
public record CartLine(long sessionId, int position, String sku, String name, String category, int quantity,
        BigDecimal price, String productName, BigDecimal weight, BigDecimal height, BigDecimal width, BigDecimal length,
        String attributes, int returnedQuantity, List<AdditionalCost> costs) {

    public static CartLine of(CartItem item) {
        return new CartLine(item.sessionId == null ? item.session.id : item.sessionId, item.position, item.sku, item.name,
                item.category, item.quantity, item.price, item.productName, item.weight, item.height, item.width, item.length,
                item.attributes, item.returnedQuantity, List.copyOf(item.additionalCosts));
    }
}
