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
 * @param returnedCartItemTotal Σ price × returnedQuantity over the cart items (returns do not change the others)
 */
public record CartTotals(BigDecimal cartItemTotal, BigDecimal cartItemAdditionalCostTotal,
        BigDecimal additionalCostTotal, BigDecimal total, BigDecimal returnedCartItemTotal) {

    public static CartTotals of(List<CartLine> items, List<AdditionalCostData> sessionCosts) {
        BigDecimal itemTotal = BigDecimal.ZERO;
        BigDecimal itemCostTotal = BigDecimal.ZERO;
        BigDecimal returnedTotal = BigDecimal.ZERO;
        for (CartLine item : items) {
            BigDecimal quantity = BigDecimal.valueOf(item.quantity());
            itemTotal = itemTotal.add(item.price().multiply(quantity));
            if (item.returnedQuantity() > 0) {
                returnedTotal = returnedTotal.add(item.price().multiply(BigDecimal.valueOf(item.returnedQuantity())));
            }
            for (AdditionalCostData cost : item.costs()) {
                itemCostTotal = itemCostTotal.add(cost.price().multiply(quantity));
            }
        }
        BigDecimal sessionCostTotal = sessionCosts.stream().map(AdditionalCostData::price).reduce(BigDecimal.ZERO, BigDecimal::add);
        return new CartTotals(Money.normalize(itemTotal), Money.normalize(itemCostTotal),
                Money.normalize(sessionCostTotal), Money.normalize(itemTotal.add(itemCostTotal).add(sessionCostTotal)),
                Money.normalize(returnedTotal));
    }
}
