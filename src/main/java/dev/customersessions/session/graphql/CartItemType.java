package dev.customersessions.session.graphql;

import java.math.BigDecimal;
import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import dev.customersessions.common.JsonText;
import dev.customersessions.common.Money;
import dev.customersessions.session.CartLine;

/** One line of a session's cart, as served. */
@Type("CartItem")
@Description("One line of a session's cart.")
public class CartItemType {

    @NonNull
    @Description("The item's stock keeping unit.")
    public String sku;

    @Description("The item's name.")
    public String name;

    @Description("The item's category.")
    public String category;

    @Description("How many units.")
    public int quantity;

    @NonNull
    @Description("Price of one unit: exact decimal.")
    public BigDecimal price;

    @Description("The product the item is of, if one was given.")
    public ProductType product;

    @Description("Weight in grams.")
    public BigDecimal weight;

    @Description("Height in millimetres.")
    public BigDecimal height;

    @Description("Width in millimetres.")
    public BigDecimal width;

    @Description("Length in millimetres.")
    public BigDecimal length;

    @Description("Units returned so far (returnCartItems); 0 until something is returned.")
    public int returnedQuantity;

    @Description("quantity − returnedQuantity: the units that may still be returned.")
    public int remainingQuantity;

    @Description("0-based index of the item in the cart, assigned by the service in the order the cart was sent; shifts when "
            + "lines before it are removed.")
    public int position;

    @NonNull
    @Id
    @Description("The line's stable id within the session: kept through every change of the line (updateCartItems, or a "
            + "whole-cart update that sends its sku again), never given to another line of the session. Name the line by it "
            + "in updateCartItems and removeCartItems.")
    public Integer lineId;

    @NonNull
    @Description("Custom attributes of the item, sorted by name.")
    public List<@NonNull AttributeType> attributes;

    @NonNull
    @Description("Costs per unit of this item, by name; counted once per unit in cartItemAdditionalCostTotal.")
    public List<@NonNull AdditionalCostType> additionalCosts;

    static CartItemType of(CartLine item) {
        CartItemType type = new CartItemType();
        type.sku = item.sku();
        type.name = item.name();
        type.category = item.category();
        type.quantity = item.quantity();
        type.returnedQuantity = item.returnedQuantity();
        type.remainingQuantity = item.quantity() - item.returnedQuantity();
        type.price = Money.normalize(item.price());
        if (item.productName() != null) {
            type.product = new ProductType();
            type.product.name = item.productName();
        }
        type.weight = Money.normalize(item.weight());
        type.height = Money.normalize(item.height());
        type.width = Money.normalize(item.width());
        type.length = Money.normalize(item.length());
        type.position = item.position();
        type.lineId = item.lineId();
        type.attributes = Attributes.fromJson(JsonText.parse(item.attributes()));
        type.additionalCosts = AdditionalCostType.of(item.costs());
        return type;
    }
}
