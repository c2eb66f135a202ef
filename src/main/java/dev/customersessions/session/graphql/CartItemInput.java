package dev.customersessions.session.graphql;

import java.math.BigDecimal;
import java.util.List;
import java.util.function.Supplier;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.NonNull;

import dev.customersessions.application.Definitions;
import dev.customersessions.common.AttributeEntity;
import dev.customersessions.common.FieldPath;
import dev.customersessions.common.Validation;
import dev.customersessions.session.AdditionalCostData;
import dev.customersessions.session.CartItemData;

/** One cart line sent by a client. */
@Input("CartItemInput")
@Description("One line of the cart. Its position is the index in the list sent.")
public class CartItemInput {

    @NonNull
    @Description("Stock keeping unit, 1 to 1000 characters.")
    public String sku;

    @Description("The item's name.")
    public String name;

    @Description("The item's category.")
    public String category;

    @NonNull
    @Description("How many units, at least 1.")
    public Integer quantity;

    @NonNull
    @Description("Price of one unit: non-negative, at most 6 fraction digits. Send it as a string (\"19.99\") or a number.")
    public BigDecimal price;

    @Description("The product the item is of.")
    public ProductInput product;

    @Description("Weight in grams, non-negative.")
    public BigDecimal weight;

    @Description("Height in millimetres, non-negative.")
    public BigDecimal height;

    @Description("Width in millimetres, non-negative.")
    public BigDecimal width;

    @Description("Length in millimetres, non-negative.")
    public BigDecimal length;

    @Description("Custom attributes of the item; replaces the stored ones whole.")
    public List<@NonNull AttributeInput> attributes;

    @Description("Costs per unit of this item.")
    public List<@NonNull AdditionalCostInput> additionalCosts;

    CartItemData toData(FieldPath path, Supplier<Definitions> definitions, Validation v) {
        List<AdditionalCostData> costs = AdditionalCostInput.toData(additionalCosts, path.then("additionalCosts"), true, definitions, v);
        return new CartItemData(sku, name, category, quantity, price, product == null ? null : product.name,
                weight, height, width, length,
                Attributes.toJson(attributes, path.then("attributes"), AttributeEntity.CART_ITEM, definitions, v),
                costs == null ? List.of() : costs);
    }

    /** The product a cart item is of. */
    @Input("ProductInput")
    @Description("The product a cart item is of.")
    public static class ProductInput {
        @Description("The product's name.")
        public String name;
    }
}
