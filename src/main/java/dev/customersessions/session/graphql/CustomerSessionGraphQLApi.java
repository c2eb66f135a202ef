package dev.customersessions.session.graphql;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.eclipse.microprofile.graphql.DefaultValue;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;

import dev.customersessions.common.LoggedFailures;
import dev.customersessions.CustomerSessionsConfig;
import dev.customersessions.auth.Caller;
import dev.customersessions.common.PageRequest;
import dev.customersessions.common.LimitExceededException;
import dev.customersessions.common.RefusedException;
import dev.customersessions.session.ReturnRequest;
import dev.customersessions.session.graphql.CartItemReturnType.ReturnCartItemInput;
import dev.customersessions.session.CustomerSessionService;
import dev.customersessions.session.SessionSnapshot;
import dev.customersessions.session.SessionState;
import graphql.schema.DataFetchingEnvironment;
import io.smallrye.graphql.api.Context;

/** The storefront's operations on customer sessions; every one is scoped to the caller's application. */
@GraphQLApi
@LoggedFailures
public class CustomerSessionGraphQLApi {

    @Inject
    CustomerSessionService service;

    @Inject
    Caller caller;

    @Inject
    CustomerSessionsConfig config;

    @Inject
    CartLoader carts;

    @Inject
    Context context;

    @Query("customerSession")
    @Description("Storefront (API key): The session with this integrationId in your application, or null. Needs an API key.")
    public CustomerSessionType customerSession(@NonNull @Name("integrationId") String integrationId) {
        long applicationId = caller.applicationId();
        int budget = carts.remainingLines();
        if (budget > 0 && asksForTheCart()) {
            try { // with its cart in one statement, when the request's cart-line budget allows
                Optional<SessionSnapshot> read = service.find(applicationId, integrationId, budget);
                read.ifPresent(snapshot -> carts.charge(snapshot.cart()));
                return read.map(CustomerSessionType::read).orElse(null);
            } catch (LimitExceededException overBudget) {
                // the session alone: its cart fields, if asked for, answer LIMIT_EXCEEDED
            }
        }
        return service.findWithoutCart(applicationId, integrationId).map(CustomerSessionType::of).orElse(null);
    }

    /**
     * Whether the field being fetched selects anything computed from the cart (the fields of
     * CustomerSessionFieldResolvers but returns, which are read apart); true when that cannot be told.
     */
    private boolean asksForTheCart() {
        DataFetchingEnvironment environment = context.unwrap(DataFetchingEnvironment.class);
        return environment == null || environment.getSelectionSet().containsAnyOf("cartItems", "cartItemTotal",
                "cartItemAdditionalCostTotal", "total", "returnedCartItemTotal");
    }

    @Query("customerSessions")
    @Description("Storefront (API key): Your application's sessions, oldest first, a page at a time: pass pageInfo.endCursor as after for "
            + "the next page. first defaults to 20 and is capped at 100. Needs an API key.")
    public @NonNull CustomerSessionConnection customerSessions(@Name("filter") CustomerSessionFilter filter,
            @Name("first") Integer first, @Name("after") String after) {
        long applicationId = caller.applicationId();
        PageRequest page = PageRequest.of(first, after, config.defaultPageSize(), config.maxPageSize());
        return CustomerSessionConnection.of(service.page(applicationId, CustomerSessionFilter.toFilter(filter), page), page);
    }

    @Mutation("updateCustomerSession")
    @Description("Storefront (API key): Creates the session, or updates it: a field left out keeps its stored value, a field sent replaces "
            + "it. Sending what is stored changes nothing (no new version). With dry: true nothing is stored and the "
            + "session is returned as it would be. With expectedVersion, refused unless the stored version is that "
            + "(0: unless the session does not exist yet). Needs an API key.")
    public @NonNull CustomerSessionPayload updateCustomerSession(@NonNull @Name("integrationId") String integrationId,
            @NonNull @Name("input") CustomerSessionInput input, @DefaultValue("false") @Name("dry") Boolean dry,
            @Name("expectedVersion") Integer expectedVersion) {
        long applicationId = caller.applicationId();
        return apply(() -> service.update(applicationId, integrationId,
                (settings, problems) -> input.toUpdate(() -> settings.get().definitions(), problems), Boolean.TRUE.equals(dry),
                version(expectedVersion), CustomerSessionType::withCart));
    }

    @Mutation("closeCustomerSession")
    @Description("Storefront (API key): Closes an open session: the order was placed. Closing a closed session changes nothing. Needs an API key.")
    public @NonNull CustomerSessionPayload closeCustomerSession(@NonNull @Name("integrationId") String integrationId,
            @DefaultValue("false") @Name("dry") Boolean dry, @Name("expectedVersion") Integer expectedVersion) {
        long applicationId = caller.applicationId();
        return apply(() -> service.transition(applicationId, integrationId, SessionState.closed, Boolean.TRUE.equals(dry), version(expectedVersion), CustomerSessionType::withCart));
    }

    @Mutation("cancelCustomerSession")
    @Description("Storefront (API key): Cancels an open, closed or partially returned session. Final. Cancelling a cancelled session "
            + "changes nothing. Needs an API key.")
    public @NonNull CustomerSessionPayload cancelCustomerSession(@NonNull @Name("integrationId") String integrationId,
            @DefaultValue("false") @Name("dry") Boolean dry, @Name("expectedVersion") Integer expectedVersion) {
        long applicationId = caller.applicationId();
        return apply(() -> service.transition(applicationId, integrationId, SessionState.cancelled, Boolean.TRUE.equals(dry), version(expectedVersion), CustomerSessionType::withCart));
    }

    @Mutation("returnCartItems")
    @Description("Storefront (API key): Returns cart items of a closed or partially returned session: raises their returnedQuantity, "
            + "lists the return in returns and moves the session to partially_returned. Each item names a position and "
            + "how many units (left out: all that remain). A request naming a missing position or more units than remain "
            + "is refused whole. dry and expectedVersion as for updateCustomerSession. Needs an API key.")
    public @NonNull CustomerSessionPayload returnCartItems(@NonNull @Name("integrationId") String integrationId,
            @NonNull @Name("items") List<@NonNull ReturnCartItemInput> items, @DefaultValue("false") @Name("dry") Boolean dry,
            @Name("expectedVersion") Integer expectedVersion) {
        long applicationId = caller.applicationId();
        List<ReturnRequest> requests = items.stream().map(ReturnCartItemInput::toRequest).toList();
        return apply(() -> service.returnItems(applicationId, integrationId, requests, Boolean.TRUE.equals(dry),
                version(expectedVersion), CustomerSessionType::withCart));
    }

    private static Long version(Integer expectedVersion) {
        return expectedVersion == null ? null : expectedVersion.longValue();
    }

    private static CustomerSessionPayload apply(Supplier<CustomerSessionType> mutation) {
        try {
            return CustomerSessionPayload.success(mutation.get());
        } catch (RefusedException e) {
            return CustomerSessionPayload.refused(e.errors());
        }
    }
}
