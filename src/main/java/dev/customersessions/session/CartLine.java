package dev.customersessions.session;

import java.math.BigDecimal;
import java.util.List;

/**
 * One stored cart line as it is served and totalled: a plain value, read straight from the database for queries
 * (a flattened cart has 10,000 of them) or built from what a mutation has just stored.
 *
 * @param lineId     the line's id within its session: kept through every change of the line, never reused
 * @param attributes the stored JSON object, as text
 * @param costs      the per-unit costs, sorted by name
 */
public record CartLine(long sessionId, int position, int lineId, String sku, String name, String category, int quantity,
        BigDecimal price, String productName, BigDecimal weight, BigDecimal height, BigDecimal width, BigDecimal length,
        String attributes, int returnedQuantity, List<AdditionalCostData> costs) {

    /** This line with another count of returned units. */
    CartLine withReturned(int units) {
        return new CartLine(sessionId, position, lineId, sku, name, category, quantity, price, productName, weight, height, width, length,
                attributes, units, costs);
    }
}
