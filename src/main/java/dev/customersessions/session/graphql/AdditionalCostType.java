package dev.customersessions.session.graphql;

import java.math.BigDecimal;
import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import dev.customersessions.session.AdditionalCostData;

/** A named cost, such as shipping. */
@Type("AdditionalCost")
@Description("A named cost, such as shipping: of the whole session, or of one unit of a cart item.")
public class AdditionalCostType {

    @NonNull
    @Description("The cost's name, e.g. shipping.")
    public String name;

    @NonNull
    @Description("The price: exact decimal, at most 6 fraction digits.")
    public BigDecimal price;

    static List<AdditionalCostType> of(List<AdditionalCostData> costs) {
        return costs.stream().map(c -> {
            AdditionalCostType type = new AdditionalCostType();
            type.name = c.name();
            type.price = c.price();
            return type;
        }).toList();
    }
}
