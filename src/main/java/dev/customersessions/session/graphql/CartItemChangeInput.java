package dev.customersessions.session.graphql;

import java.math.BigDecimal;
import java.util.List;
import java.util.function.Supplier;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.NonNull;

import dev.customersessions.application.Definitions;
import dev.customersessions.common.AttributeEntity;
import dev.customersessions.common.FieldPath;
import dev.customersessions.common.Validation;
import dev.customersessions.session.CartEdit.LineChange;

/** A change of one cart line, addressed by its line id: what is sent replaces, what is left out stays. */
@Input("CartItemChangeInput")
@Description("A change of one cart line, named by its lineId. A field left out (or null) keeps the line's value; a field "
        + "sent replaces it (attributes and additionalCosts whole). quantity 0 removes the line.")
public class CartItemChangeInput {

    @NonNull
    @Id
    @Description("The line to change: its CartItem.lineId.")
    public Long lineId;

    @Description("Stock keeping unit, 1 to 1000 characters.")
    public String sku;

    @Description("The item's name.")
    public String name;

    @Description("The item's category.")
    public String category;

    @Description("How many units: at least 1, or 0 to remove the line.")
    public Integer quantity;

    @Description("Price of one unit: non-negative, at most 6 fraction digits. Send it as a string (\"19.99\") or a number.")
    public BigDecimal price;

    @Description("The product the item is of.")
    public CartItemInput.ProductInput product;

    @Description("Weight in grams, non-negative.")
    public BigDecimal weight;

    @Description("Height in millimetres, non-negative.")
    public BigDecimal height;

    @Description("Width in millimetres, non-negative.")
    public BigDecimal width;

    @Description("Length in millimetres, non-negative.")
    public BigDecimal length;

    @Description("Custom attributes of the item; replaces the line's whole.")
    public List<@NonNull AttributeInput> attributes;

    @Description("Costs per unit of this item; replaces the line's whole.")
    public List<@NonNull AdditionalCostInput> additionalCosts;

    LineChange toChange(FieldPath path, Supplier<Definitions> definitions, Validation v) {
        return new LineChange(lineId, sku, name, category, quantity, price, product == null ? null : product.name, weight, height, width,
                length, Attributes.toJson(attributes, path.then("attributes"), AttributeEntity.CART_ITEM, definitions, v),
                AdditionalCostInput.toData(additionalCosts, path.then("additionalCosts"), true, definitions, v));
    }
}
