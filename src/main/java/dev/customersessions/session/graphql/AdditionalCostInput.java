package dev.customersessions.session.graphql;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.NonNull;

import dev.customersessions.application.Definitions;
import dev.customersessions.common.AdditionalCostScope;
import dev.customersessions.common.FieldPath;
import dev.customersessions.common.UserErrorCode;
import dev.customersessions.common.Validation;
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

    /**
     * The costs sent, or null when they were left out. A name that is not defined for the scope (the session's own
     * costs, or an item's) goes to {@code v} with the path of its name.
     */
    static List<AdditionalCostData> toData(List<AdditionalCostInput> inputs, FieldPath path, boolean itemLevel,
            Supplier<Definitions> definitions, Validation v) {
        if (inputs == null) {
            return null;
        }
        List<AdditionalCostData> costs = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            AdditionalCostInput input = inputs.get(i);
            if (input.name != null && Validation.NAME.matcher(input.name).matches()) {
                AdditionalCostScope scope = definitions.get().cost(input.name);
                if (scope == null) {
                    v.fail(UserErrorCode.UNKNOWN_ADDITIONAL_COST, path.then(i).then("name"), "additional cost "
                            + Validation.quoted(input.name) + " is not defined (defineAdditionalCost)");
                } else if (itemLevel ? !scope.allowsItem() : !scope.allowsSession()) {
                    v.fail(UserErrorCode.UNKNOWN_ADDITIONAL_COST, path.then(i).then("name"), "additional cost "
                            + Validation.quoted(input.name) + " is defined for " + (scope.allowsItem() ? "cart items" : "the session")
                            + " only (scope " + scope + "), not for " + (itemLevel ? "cart items" : "the session"));
                }
            }
            costs.add(new AdditionalCostData(input.name, input.price));
        }
        return costs;
    }
}
