package dev.customersessions.session.graphql;

import java.time.OffsetDateTime;
import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import dev.customersessions.session.CartItemReturn;
import dev.customersessions.session.ReturnRequest;

/** One return of cart items, as served. */
@Type("CartItemReturn")
@Description("One return of cart items from a closed session: which positions, how many units, when.")
public class CartItemReturnType {

    @NonNull
    @Id
    @Description("The return's id.")
    public Long id;

    @NonNull
    @Description("When the items were returned (UTC).")
    public OffsetDateTime created;

    @NonNull
    @Description("The units returned, by cart item position.")
    public List<@NonNull ReturnedCartItemType> items;

    static List<CartItemReturnType> of(List<CartItemReturn> returns) {
        return returns.stream().map(r -> {
            CartItemReturnType type = new CartItemReturnType();
            type.id = r.id();
            type.created = r.created();
            type.items = r.lines().stream().map(line -> {
                ReturnedCartItemType item = new ReturnedCartItemType();
                item.position = line.position();
                item.quantity = line.quantity();
                return item;
            }).toList();
            return type;
        }).toList();
    }

    /** Units returned of one cart item. */
    @Type("ReturnedCartItem")
    @Description("Units returned of the cart item at one position.")
    public static class ReturnedCartItemType {
        @Description("The cart item's position.")
        public int position;

        @Description("How many of its units were returned.")
        public int quantity;
    }

    /** One line of a return request. */
    @Input("ReturnCartItemInput")
    @Description("A cart item to return: its position, and how many units (left out: all that remain).")
    public static class ReturnCartItemInput {
        @NonNull
        @Description("The cart item's position (0-based, as served in CartItem.position).")
        public Integer position;

        @Description("Units to return, at least 1 and at most remainingQuantity; left out: all that remain.")
        public Integer quantity;

        ReturnRequest toRequest() {
            return new ReturnRequest(position, quantity);
        }
    }
}
