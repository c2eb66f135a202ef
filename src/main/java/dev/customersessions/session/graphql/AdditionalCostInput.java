package dev.customersessions.session.graphql;

import java.math.BigDecimal;
import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.NonNull;

import dev.customersessions.session.AdditionalCostData;

/** A named cost sent by a client. */
@Input("AdditionalCostInput")
@Description("A named cost, such as shipping.")
public class AdditionalCostInput {

    @NonNull
    @Description("Name: a letter, then letters, digits or underscores.")
    public String name;

    @NonNull
    @Description("Price: non-negative, at most 6 fraction digits. Send it as a string (\"4.99\") or a number.")
    public BigDecimal price;

    static List<AdditionalCostData> toData(List<AdditionalCostInput> inputs) {
        return inputs == null ? null : inputs.stream().map(c -> new AdditionalCostData(c.name, c.price)).toList();
    }
}
