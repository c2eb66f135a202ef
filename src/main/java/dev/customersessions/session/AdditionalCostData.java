package dev.customersessions.session;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;

import dev.customersessions.common.Money;

/**
 * A named cost, such as shipping: of a whole session, or of one unit of a cart item. The price is normalized so that
 * equal amounts compare equal.
 */
public record AdditionalCostData(String name, BigDecimal price) {

    public AdditionalCostData {
        price = Money.normalize(price);
    }

    /** Sorted by name, the order in which costs are stored and served. */
    static List<AdditionalCostData> sorted(List<AdditionalCostData> costs) {
        return costs.stream().sorted(Comparator.comparing(AdditionalCostData::name)).toList();
    }
}
