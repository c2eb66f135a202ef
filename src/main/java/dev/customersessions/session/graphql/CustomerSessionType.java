package dev.customersessions.session.graphql;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Ignore;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import dev.customersessions.application.ApiKeyKind;
import dev.customersessions.common.JsonText;
import dev.customersessions.session.AdditionalCostData;
import dev.customersessions.session.CartLine;
import dev.customersessions.session.CartTotals;
import dev.customersessions.session.CustomerSession;
import dev.customersessions.session.SessionSnapshot;
import dev.customersessions.session.SessionState;

/**
 * A customer session as served: a snapshot of the stored row. The cart and the totals that depend on it are
 * resolved per request level in batches ({@link CustomerSessionFieldResolvers}), unless the snapshot already
 * carries its cart (the result of a mutation, including a dry run's unstored result).
 */
@Type("CustomerSession")
@Description("A shopper's cart session in one application, keyed by the integrationId the storefront chose.")
public class CustomerSessionType {

    @NonNull
    @Description("Internal id, assigned at creation. Not the integration id.")
    @Id
    public Long id;

    @NonNull
    @Description("When the session was created (UTC).")
    public OffsetDateTime created;

    @NonNull
    @Description("The id the storefront chose for the session; the key of every session operation.")
    public String integrationId;

    @NonNull
    @Description("The application that owns the session.")
    @Id
    public Long applicationId;

    @Description("The customer profile; null for an anonymous session.")
    public String profileId;

    @Description("The kind of API key whose request last set the cart (items or costs); null before any did. PUBLISHABLE: the "
            + "prices and costs are what a web page sent, the shopper's claim; the shop's server re-prices before it charges.")
    public ApiKeyKind cartSetBy;

    @NonNull
    @Description("Coupon codes entered, without duplicates, in the order sent.")
    public List<@NonNull String> couponCodes;

    @Description("Referral code entered, if any.")
    public String referralCode;

    @NonNull
    @Description("Loyalty cards used (at most one).")
    public List<@NonNull String> loyaltyCards;

    @NonNull
    @Description("The session's state.")
    public SessionState state;

    @NonNull
    @Description("Session-level additional costs, such as shipping, sorted by name.")
    public List<@NonNull AdditionalCostType> additionalCosts;

    @NonNull
    @Description("Custom identifiers of the session, such as a hashed device id (at most 5).")
    public List<@NonNull String> identifiers;

    @NonNull
    @Description("Custom attributes of the session, sorted by name.")
    public List<@NonNull AttributeType> attributes;

    @Description("Fixed at creation: true when the session is anonymous or was its profile's first in the application.")
    public boolean firstSession;

    @NonNull
    @Description("Σ of the session-level additional costs.")
    public BigDecimal additionalCostTotal;

    @NonNull
    @Description("When the last stored change happened (UTC). A request that changes nothing leaves it.")
    public OffsetDateTime updated;

    @Description("1 at creation, +1 on every stored change. Pass it as expectedVersion to update only what you saw.")
    public int version;

    @Description("When the state is merged: the integrationId of the session this one was merged into at login "
            + "(mergeCustomerSession), the customer's open session; null otherwise (and once that session is deleted).")
    public String mergedInto;

    /** The cart, when this snapshot carries it; otherwise the resolvers load it. */
    @Ignore
    List<CartLine> cart;

    /** The cart as served, when this snapshot carries its cart. */
    @Ignore
    List<CartItemType> cartTypes;

    /** The returns, when this snapshot carries them (a mutation's result); otherwise the resolvers load them. */
    @Ignore
    List<CartItemReturnType> returnTypes;

    /** The totals, once computed for this request. */
    @Ignore
    CartTotals totals;

    /** The session-level costs, for totals. */
    @Ignore
    List<AdditionalCostData> sessionCosts;

    boolean mayHaveReturns() {
        return state == SessionState.partially_returned || state == SessionState.cancelled;
    }

    /** A snapshot of the stored session; its cart is loaded when asked for. */
    public static CustomerSessionType of(CustomerSession session) {
        CustomerSessionType type = new CustomerSessionType();
        type.id = session.id;
        type.created = session.created;
        type.integrationId = session.integrationId;
        type.applicationId = session.applicationId;
        type.profileId = session.profileId;
        type.cartSetBy = session.cartSetBy == null ? null : ApiKeyKind.valueOf(session.cartSetBy);
        type.couponCodes = List.copyOf(session.couponCodes);
        type.referralCode = session.referralCode;
        type.loyaltyCards = List.copyOf(session.loyaltyCards);
        type.state = session.state;
        type.sessionCosts = List.copyOf(session.additionalCosts);
        type.additionalCosts = AdditionalCostType.of(type.sessionCosts);
        type.identifiers = List.copyOf(session.identifiers);
        type.attributes = Attributes.fromJson(JsonText.parse(session.attributes));
        type.firstSession = session.firstSession;
        type.updated = session.updated;
        type.version = session.version.intValue();
        type.mergedInto = session.mergedInto;
        type.additionalCostTotal = CartTotals.of(List.of(), type.sessionCosts).additionalCostTotal();
        return type;
    }

    /**
     * A snapshot that carries its cart (and its returns, when they were read with it); its cart items are built when
     * asked for.
     */
    public static CustomerSessionType read(SessionSnapshot snapshot) {
        CustomerSessionType type = of(snapshot.session());
        type.cart = snapshot.cart();
        type.returnTypes = !type.mayHaveReturns() ? List.of() : snapshot.returns() == null ? null : CartItemReturnType.of(snapshot.returns());
        return type;
    }

    /** As {@link #read}, with its cart items already built, so that a mutation builds its response before it commits. */
    public static CustomerSessionType withCart(SessionSnapshot snapshot) {
        CustomerSessionType type = read(snapshot);
        type.cartTypes = type.cart.stream().map(CartItemType::of).toList();
        return type;
    }
}
