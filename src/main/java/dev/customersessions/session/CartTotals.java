package dev.customersessions.session;

import java.math.BigDecimal;
import java.util.List;

import dev.customersessions.common.Money;

/**
 * The totals of a session, computed from its cart and session-level costs: exact decimals, no rounding.
 *
 * @param cartItemTotal Σ price × quantity over the cart items
 * @param cartItemAdditionalCostTotal Σ over the cart items of Σ their costs' price × quantity
 * @param additionalCostTotal Σ of the session-level costs
 * @param total the sum of the three
 */
public record CartTotals(BigDecimal cartItemTotal, BigDecimal cartItemAdditionalCostTotal,
        BigDecimal additionalCostTotal, BigDecimal total) {

    public static CartTotals of(List<CartItem> items, List<AdditionalCost> sessionCosts) {
        BigDecimal itemTotal = BigDecimal.ZERO;
        BigDecimal itemCostTotal = BigDecimal.ZERO;
        for (CartItem item : items) {
            BigDecimal quantity = BigDecimal.valueOf(item.quantity);
            itemTotal = itemTotal.add(item.price.multiply(quantity));
            for (AdditionalCost cost : item.additionalCosts) {
                itemCostTotal = itemCostTotal.add(cost.price.multiply(quantity));
            }
        }
        BigDecimal sessionCostTotal = sessionCosts.stream().map(c -> c.price).reduce(BigDecimal.ZERO, BigDecimal::add);
        return new CartTotals(Money.normalize(itemTotal), Money.normalize(itemCostTotal),
                Money.normalize(sessionCostTotal), Money.normalize(itemTotal.add(itemCostTotal).add(sessionCostTotal)));
    }
}
