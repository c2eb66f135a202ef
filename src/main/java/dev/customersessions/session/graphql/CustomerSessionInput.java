package dev.customersessions.session.graphql;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import jakarta.json.JsonObject;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.NonNull;

import dev.customersessions.application.Definitions;
import dev.customersessions.common.AttributeEntity;
import dev.customersessions.common.FieldPath;
import dev.customersessions.common.Validation;
import dev.customersessions.session.CartItemData;
import dev.customersessions.session.SessionState;
import dev.customersessions.session.SessionUpdate;

/** What a client sends to create or update a session: a field left out keeps its stored value. */
@Input("CustomerSessionInput")
@Description("The session as the storefront has it. A field left out (or null) keeps its stored value; a field sent "
        + "replaces it whole (an empty list clears it).")
public class CustomerSessionInput {

    @Description("The customer profile; \"\" makes the session anonymous.")
    public String profileId;

    @Description("Coupon codes (each 1..100 characters, at most 100); duplicates are removed, order kept.")
    public List<@NonNull String> couponCodes;

    @Description("Referral code (at most 100 characters); \"\" clears it.")
    public String referralCode;

    @Description("Loyalty cards (at most one).")
    public List<@NonNull String> loyaltyCards;

    @Description("The state to move to; a new session may be created open or closed.")
    public SessionState state;

    @Description("The whole cart, in order (at most 1000 items).")
    public List<@NonNull CartItemInput> cartItems;

    @Description("Session-level additional costs, such as shipping.")
    public List<@NonNull AdditionalCostInput> additionalCosts;

    @Description("Custom identifiers (each 1..1000 characters, at most 5).")
    public List<@NonNull String> identifiers;

    @Description("Custom attributes; replaces the stored attributes whole.")
    public List<@NonNull AttributeInput> attributes;

    /**
     * The update this input asks for. Attributes of the wrong shape, and attributes and costs the application does
     * not define as sent, go to {@code v} with their paths; the definitions are read only when needed.
     */
    SessionUpdate toUpdate(Supplier<Definitions> definitions, Validation v) {
        FieldPath input = FieldPath.of("input");
        List<CartItemData> items = null;
        if (cartItems != null) {
            items = new ArrayList<>(cartItems.size());
            for (int i = 0; i < cartItems.size(); i++) {
                items.add(cartItems.get(i).toData(input.then("cartItems").then(i), definitions, v));
            }
        }
        JsonObject attributeJson = Attributes.toJson(attributes, input.then("attributes"), AttributeEntity.CUSTOMER_SESSION,
                definitions, v);
        return new SessionUpdate(profileId, couponCodes, referralCode, loyaltyCards, state, items,
                AdditionalCostInput.toData(additionalCosts, input.then("additionalCosts"), false, definitions, v), identifiers,
                attributeJson);
    }
}
